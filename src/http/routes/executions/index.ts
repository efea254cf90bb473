import { protectedRouter } from "../../router";
import downloadLink from "./download-link";
import get from "./get";
import list from "./list";
import pin from "./pin";
import retry from "./retry";

export const executionsRoutes = () => {
  const app = protectedRouter();
  for (const register of [list, get, retry, pin, downloadLink]) register(app);
  return app;
};
