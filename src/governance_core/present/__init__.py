"""Everything a person or a program reads, in one layer between the work (jobs, analysis) and
its front ends (the command line, the service and its pages): data (the JSON shapes every
front end writes), rows (headers and cells that a terminal table and a workbook both render),
text (verdicts, deadlines and calendar days in words, in the reader's language), workbooks and
diagrams. Words of enums, numbers and dates live here once (:mod:`.words`); personal data is
masked where a surface writes (files.masked), the same rule for all."""
