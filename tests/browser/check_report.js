// Renders an exray report in Debian's Chromium (headless, no background networking) and
// checks that no request left the page, that every chart has a non-zero size, and saves a
// screenshot. usage: node check_report.js REPORT.html SCREENSHOT.png
// Prints a JSON summary; exits 1 on a failed check.
const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

(async () => {
    const [report, shot] = process.argv.slice(2);
    const url = 'file://' + path.resolve(report);
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests = [];
    page.on('request', r => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
    const charts = await page.$$eval('svg.chart', els => els.map(e => {
        const b = e.getBoundingClientRect();
        return { label: e.getAttribute('aria-label'), width: b.width, height: b.height };
    }));
    const scripts = await page.$$eval('script', els => els.length);
    await page.screenshot({ path: shot, fullPage: true });
    await browser.close();
    const outside = requests.filter(u => u !== url);
    const empty = charts.filter(c => !(c.width > 0 && c.height > 0));
    const ok = outside.length === 0 && empty.length === 0 && scripts === 0;
    console.log(JSON.stringify({ ok, requests: requests.length, outside, charts: charts.length, empty, scripts }));
    process.exit(ok ? 0 : 1);
})().catch(e => { console.error(e); process.exit(2); });
