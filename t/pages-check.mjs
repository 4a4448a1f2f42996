// pages-check.mjs DIR PAGE...: serve DIR on loopback, open each PAGE in
// Debian's chromium (headless, started once) and print what a reader
// sees: "== PAGE", "title: ...", the text of the page as rendered, each
// image with its rendered size ("image: ID WxH"), and each link on the
// page that does not lead to a file ("broken: URL"). Exits 1 when the
// browser cannot be run or a page does not load.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize } from 'node:path'
import { chromium } from 'playwright-core'

const [dir, ...pages] = process.argv.slice(2)
const types = {
  '.html': 'text/html; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/atom+xml',
  '.txt': 'text/plain; charset=utf-8', '.csv': 'text/csv',
  '.asc': 'text/plain', '.sha256': 'text/plain', '.sha512': 'text/plain'
}
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname))
  if (path.includes('..')) { res.writeHead(403); res.end(); return }
  try {
    const body = await readFile(join(dir, path))
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' })
    res.end(body)
  } catch {
    res.writeHead(404); res.end()
  }
})
await new Promise(r => server.listen(0, '127.0.0.1', r))
const base = `http://127.0.0.1:${server.address().port}/`
let status = 0
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync']
})
try {
  const page = await browser.newPage()
  for (const p of pages) {
    console.log(`== ${p}`)
    const resp = await page.goto(base + p, { waitUntil: 'load' })
    if (!resp || resp.status() !== 200) { console.log(`status: ${resp?.status()}`); status = 1; continue }
    console.log(`title: ${await page.title()}`)
    console.log(await page.evaluate(() => document.body.innerText))
    for (const img of await page.evaluate(() => [...document.images].map(i => [i.id, i.naturalWidth, i.naturalHeight, i.width])))
      console.log(`image: ${img[0]} ${img[1]}x${img[2]} shown ${img[3]}`)
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map(a => a.href))
    for (const href of links) {
      if (!href.startsWith(base)) continue
      const r = await fetch(href)
      if (r.status !== 200) console.log(`broken: ${href.slice(base.length)}`)
    }
  }
} finally {
  await browser.close()
  server.close()
}
process.exit(status)
