"""Thai in ReportLab PDFs, shared by every PDF the platform draws (certificates, reports).

Three things about Thai in ReportLab decide how these modules are written:

- Thai is only drawn correctly when HarfBuzz shapes it: tone marks sit at the right height
  above upper vowels and tall consonants only then. ReportLab shapes text in `Paragraph`s
  whose style has `shaping=1` and a registered TrueType font; `canvas.drawString` silently
  does not shape. `shaping.NEEDS_SHAPING` tells which text must go through a shaped
  `Paragraph` (`shaping.paragraph_style`); plain Latin text may be drawn directly.
- ReportLab breaks lines at spaces and splits an overlong "word" wherever it runs out of
  room. Thai puts no spaces between words, so a Thai title would be cut in the middle of a
  word. `line_breaking.thai_lines` cuts the text into words first (pythainlp's `newmm`, as
  `lms.thai_text` does for search) and fills lines greedily; the caller hands the lines to
  `Paragraph` already broken. `fitting.fit` finds the largest size at which text fits.
- ReportLab's fonts and settings are process-wide state that shaping changes, so a render
  runs inside `shaping.reportlab_settings()` (a lock, and settings restored afterwards).

The fonts are Sarabun (the design of TH Sarabun New, the Thai government's document font),
shipped in `sarabun/` beside this package so that a document looks the same on every host
(`fonts`).
"""
