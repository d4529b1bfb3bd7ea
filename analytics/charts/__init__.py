"""The dashboards' charts: one specification per table (`figures`), drawn by Plotly.js on the
page and by ReportLab in the PDF report (`pdf`)."""
