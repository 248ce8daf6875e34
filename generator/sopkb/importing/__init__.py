"""`sopkb import`: existing SOP documents (DOCX, PDF, HTML, Markdown, text) in, validated drafts out."""
