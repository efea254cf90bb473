import { protectedRouter } from "../../router";
import cancel from "./cancel";
import downloadLink from "./download-link";
import get from "./get";
import list from "./list";
import pin from "./pin";
import retry from "./retry";

export const executionsRoutes = () => {
  const app = protectedRouter();
  for (const register of [list, get, retry, cancel, pin, downloadLink]) register(app);
  return app;
};
