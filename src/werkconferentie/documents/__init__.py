"""One place for documents: every app renders its PDFs, Word files, QR codes, spreadsheets and downloads here.

- `pdf.render_pdf`: a Django template (HTML) to a tagged PDF with WeasyPrint (PDF/UA-1, language and title set).
- `word.render_docx`: the same kind of template to a .docx with python-docx (real headings, lists, tables, images).
- `qr`: QR codes with segno, as PNG or SVG.
- `spreadsheets`: CSV that Dutch Excel opens directly and openpyxl workbooks that never fail on stored text.
- `downloads.download`: the HTTP response for a file, with Django's Content-Disposition header.

A template written for both PDF and Word extends `documents/base.html`; parts meant for one of them only carry
`class="pdf-only"` or `class="word-only"`. This package sits at the bottom of the layers: it imports Django and
the document libraries, never another app of the project.
"""
