import { expect, it } from "vitest";
import committed from "../web/src/lib/api/openapi.json";
import { api } from "./support/api";

it("keeps the dashboard's generated API client in step with the API (run npm run gen:api -w web)", async () => {
  const served = await api("/api/openapi.json");
  expect(served.body).toEqual(committed);
});
