"""The main job of ``governance run``: the example district, the period's run, the workbook."""
