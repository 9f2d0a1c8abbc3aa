/// The document around every console page: inline style only (no external asset of any kind).
enum PageFrame {
    static func open(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="same-origin">
        <title>\(HTMLText.escape(title))</title>
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:0 1.5em 2em;color:#1d232a;background:#fafbfc}
        header{display:flex;gap:1em;align-items:center;border-bottom:1px solid #d0d7de;padding:.6em 0}
        h1{font-size:20px;margin:0}h2{font-size:16px;margin:1.4em 0 .4em}h3{font-size:14px;margin:1em 0 .3em}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f0f3f6;font-weight:600}td.summary,td.group{word-break:break-word;max-width:40em}
        .meta{color:#57606a}.ok{color:#1a7f37}.bad{color:#cf222e}.notice{background:#dafbe1;padding:.4em}
        .problems{color:#cf222e}.inline{display:inline}
        .level.high,.level.critical{color:#cf222e;font-weight:600}.level.medium{color:#9a6700}
        .status.failed{color:#cf222e}.status.silenced{color:#57606a;font-style:italic}.status.sent{color:#1a7f37}
        form.filters label,#silence-form label{margin-right:.6em}#silence-form textarea{display:block}
        tr.silence.expired{color:#8c959f}code{background:#f0f3f6;padding:0 3px}
        </style></head><body>

        """
    }

    static func close() -> String { "</body></html>\n" }
}
