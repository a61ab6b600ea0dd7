"""useCampaignExecution (campaign-react.js) in real React 18 from Debian's node-react and
node-react-dom browser builds, in StrictMode, in headless Chromium, over the scripted server
(react_hook.html + react_hook.js). No campaign server needed."""

import pathlib

import pytest

from conftest import run_check_page

PAGE = pathlib.Path(__file__).parent / "react_hook.html"
REACT = pathlib.Path("/usr/share/nodejs/react/umd/react.development.js")


def test_every_react_hook_check_passes():
    if not REACT.exists():
        pytest.fail(f"{REACT} is missing: scripts/install-deps --tests installs node-react and node-react-dom")
    results = run_check_page(PAGE)
    assert len(results) >= 7
    failures = [f"{result['name']}: {result['error']}" for result in results if not result["ok"]]
    assert failures == [], "\n\n".join(failures)
