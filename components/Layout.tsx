import type { ComponentChildren } from "preact";

export function Layout(props: { title: string; stylesheet: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title === "UgoChat" ? "UgoChat" : `${props.title} · UgoChat`}</title>
        <link rel="stylesheet" href={props.stylesheet} />
        <link rel="icon" href="data:," />
      </head>
      <body>{props.children}</body>
    </html>
  );
}
