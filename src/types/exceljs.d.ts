// The Node build of exceljs (see reports/renderers/xlsx.ts) has the same API as the package root.
declare module "exceljs/excel.js" {
  import ExcelJS from "exceljs";
  export default ExcelJS;
}
