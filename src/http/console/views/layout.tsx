import type { ComponentChildren } from 'preact';

/** The console's whole stylesheet, inline: the console works with no network access. */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;background:#f5f6f8}
header{display:flex;gap:18px;align-items:center;padding:10px 20px;background:#1f3a5f;color:#fff;flex-wrap:wrap}
header a{color:#dfe8f5;text-decoration:none}header a:hover{color:#fff;text-decoration:underline}
header .brand{font-weight:700;font-size:16px;color:#fff}
header form{margin-left:auto;display:flex;gap:6px}
header input[type=search]{width:320px;padding:5px 8px;border:0;border-radius:4px}
main{padding:18px 20px;max-width:1400px}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:22px 0 8px}h3{font-size:14px;margin:14px 0 6px}
table{border-collapse:collapse;background:#fff;width:100%;margin-bottom:8px}
th,td{border:1px solid #dde1e7;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.time{white-space:nowrap}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:#fff;border:1px solid #dde1e7;padding:10px;overflow:auto;max-height:480px;white-space:pre-wrap;word-break:break-all}
a{color:#1f5fbf}
.card{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:12px 14px;margin-bottom:14px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}dl.kv dt{color:#5b6575}dl.kv dd{margin:0;word-break:break-all}
.ok{color:#147a36;font-weight:600}.bad{color:#b3261e;font-weight:600}.muted{color:#6b7483}
.msg{padding:10px 12px;border-radius:5px;margin-bottom:14px;border:1px solid}
.msg.error{background:#fdecea;border-color:#f3b8b2;color:#8c1d18}
.msg.info{background:#e8f3ec;border-color:#b4d9c0;color:#14532d}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:14px}
form.stack label{display:block;margin:6px 0 2px;color:#3b4452}
form.stack input,form.stack select,form.stack textarea{width:100%;padding:5px 7px;border:1px solid #c6ccd5;border-radius:4px;font:inherit}
form.stack textarea{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
form.inline{display:inline-flex;gap:6px;align-items:center;flex-wrap:wrap}
form.inline input,form.inline select{padding:4px 6px;border:1px solid #c6ccd5;border-radius:4px}
form.inline button{margin-top:0}
#clock form.inline{margin-top:10px}
button{padding:5px 12px;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;border-radius:4px;cursor:pointer;margin-top:8px}
button.light{background:#fff;color:#1f3a5f;margin-top:0}
.token{font-size:13px;padding:8px;background:#fffbe6;border:1px solid #e6d280;word-break:break-all}
`;

export interface LayoutProps {
  title: string;
  /** The search box's current text. */
  query?: string;
  /** Shown above the content: an error (a rejected form) or a confirmation. */
  error?: string | undefined;
  info?: string | undefined;
  /** Styles only one page needs (the time grid), after the console's own. */
  extraStyle?: string;
  /** The login page has no navigation (nothing behind it is reachable yet). */
  bare?: boolean;
  children?: ComponentChildren;
}

/** Page frame: navigation, search box, messages, content. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Kalends console`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE + (props.extraStyle ?? '') }} />
      </head>
      <body>
        <header>
          <a class="brand" href="/console">Kalends console</a>
          {!props.bare && (
            <>
              <a href="/console">Overview</a>
              <a href="/console/rooms">Rooms</a>
              <a href="/console/deliveries">Deliveries</a>
              <a href="/console/connections">Connections</a>
              <a href="/console/api-calls">API calls</a>
              <a href="/console/sandbox">Sandbox</a>
              <a href="/reference/">API reference</a>
              <form method="get" action="/console/search" role="search">
                <input type="search" name="q" value={props.query ?? ''} placeholder="id, summary, user, or a day (2026-11-23)" aria-label="Search" />
                <button class="light" type="submit">Search</button>
              </form>
            </>
          )}
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.error && <div class="msg error" role="alert">{props.error}</div>}
          {props.info && <div class="msg info" role="status">{props.info}</div>}
          {props.children}
        </main>
      </body>
    </html>
  );
}
