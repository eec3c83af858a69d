"""Take a screenshot of one dashboard page in headless Chromium (Debian's package), for the documentation.

    .venv/bin/python scripts/dashboard_screenshot.py --db data/socle.duckdb --output docs/images/dashboard.png

Starts ``socle dashboard`` on a free loopback port, opens the page at 1400x1000, waits for the app to finish
running and saves a PNG. Needs the dev dependencies (playwright) and /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--page", default="", help="url path of the page ('' = Overview)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    port = _free_port()
    socle = Path(sys.executable).with_name("socle")
    process = subprocess.Popen(
        [str(socle), "dashboard", "--db", str(args.db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                print("socle dashboard did not start", file=sys.stderr)
                return 2
            time.sleep(0.25)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(f"{base}/{args.page}")
            app = page.locator('[data-testid="stApp"]')
            page.get_by_role("heading").first.wait_for(timeout=60_000)
            expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=60_000)
            page.wait_for_timeout(1500)  # let charts finish their transition before the picture
            args.output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.output))
            browser.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
