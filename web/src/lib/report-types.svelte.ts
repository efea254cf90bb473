// The report types, for pages that show a report: its type by name (not its id), and the JSON
// Schema that labels its parameters. Types the organization turned off are kept, since a report
// made before may still use one.
import { call, getReportTypes, type ReportType } from "./api.ts";

export class ReportTypes {
  items = $state<ReportType[]>([]);

  load = async () => {
    try {
      this.items = (await call(getReportTypes())).items;
    } catch {
      // The id stands in for the name (see `name`): a page that cannot read the types still works.
    }
  };

  byId = (id: string) => this.items.find((t) => t.id === id);
  /** The type's name, or its id until the types are read. */
  name = (id: string) => this.byId(id)?.name ?? id;
}
