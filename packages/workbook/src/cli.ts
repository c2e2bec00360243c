// The workbook's command line: filled in below.
export {};
