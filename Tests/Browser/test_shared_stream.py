"""One event stream per browser (issue 16): ten tabs of one origin, each with shared CampaignClients for
two of ten campaigns (every campaign in two tabs), hold at most 2 event streams open at the server
(read from its /metrics gauge `campaign_http_open_streams`, not from timing). Every tab gets every change
of its campaigns exactly once (counted per event id on the page's shared stream, before the clients'
own de-duplication), also after the leading tab, which holds the connection, is closed."""

import pathlib
import re
import urllib.parse
import urllib.request

from conftest import make_driver
from stream_proxy import StreamProxy
from test_reconnect import upstream_port, wait

HERE = pathlib.Path(__file__).parent
TABS = 10


def open_streams(config):
    with urllib.request.urlopen(f"{config['url']}/metrics", timeout=10) as response:
        text = response.read().decode()
    return int(float(re.search(r"^campaign_http_open_streams (\S+)$", text, re.M).group(1)))


def test_ten_tabs_share_one_stream_and_see_every_change_once_across_a_leader_change(config, api):
    campaigns = []
    for index in range(TABS):
        created = api.create_campaign(f"Shared stream {index}")
        phases = api.snapshot(created["id"])["phases"]
        campaigns.append({"id": created["id"], "phase": phases[0]["id"]})
    proxy = StreamProxy(upstream_port(config), files={
        "/__test__/shared_tabs.html": HERE / "shared_tabs.html",
        "/__test__/shared_tabs.js": HERE / "shared_tabs.js",
    }).start()
    baseline = open_streams(config)
    driver = make_driver()
    try:
        tabs = []
        for index in range(TABS):
            if index > 0:
                driver.switch_to.new_window("tab")
            watched = [campaigns[index]["id"], campaigns[(index + 1) % TABS]["id"]]
            fragment = urllib.parse.urlencode({"token": config["token"], "campaigns": ",".join(watched)})
            driver.get(f"{proxy.url()}/__test__/shared_tabs.html#{fragment}")
            tabs.append({"handle": driver.current_window_handle, "campaigns": watched})

        def summary(tab):
            driver.switch_to.window(tab["handle"])
            return driver.execute_script("return window.__summary ? window.__summary() : null")

        def everyone(condition):
            return all((lambda s: s is not None and condition(s))(summary(tab)) for tab in tabs)

        wait(lambda: everyone(lambda s: all(c["connection"] == "live" for c in s["clients"])), 60, "every client in every tab live")
        streams = open_streams(config) - baseline
        print(f"\nevent streams open at the server with {TABS} tabs × 2 campaigns live: {streams}")
        assert streams <= 2
        assert sum(1 for tab in tabs if summary(tab)["leader"]) == 1

        def change_every_campaign(title):
            return {campaign["id"]: api.create_task(campaign["id"], campaign["phase"], f"{title} {campaign['id'][:8]}")
                    for campaign in campaigns}

        def every_tab_sees(titles):
            def sees(s):
                return all(titles[c["campaignId"]]["title"] in c["titles"] for c in s["clients"])
            wait(lambda: everyone(sees), 60, "the changes in every tab")

        first = change_every_campaign("Before")
        every_tab_sees(first)

        leader = next(tab for tab in tabs if summary(tab)["leader"])
        # The proxy answers 502 while the leading tab closes and the changes are made, so the next
        # leader's stream opens only after them: it must resume every campaign after the last event
        # the tabs were given (the cursor it builds), or these changes are lost.
        proxy.set_mode("502")
        driver.switch_to.window(leader["handle"])
        driver.close()
        tabs.remove(leader)
        wait(lambda: sum(1 for tab in tabs if summary(tab)["leader"]) == 1, 30, "a new leading tab")
        second = change_every_campaign("After")
        proxy.set_mode("forward")
        every_tab_sees(second)
        wait(lambda: open_streams(config) - baseline <= 2, 10, "at most 2 streams after the leader change")
        streams_after = open_streams(config) - baseline
        print(f"event streams open after the leading tab closed ({len(tabs)} tabs): {streams_after}")

        for tab in tabs:
            seen = summary(tab)["seen"]
            for campaign_id in tab["campaigns"]:
                for task in (first[campaign_id], second[campaign_id]):
                    created = [count for key, count in seen.items() if key.startswith(campaign_id + " ")]
                    assert all(count == 1 for count in created), (tab["campaigns"], seen)
                    assert task["title"] in next(c["titles"] for c in summary(tab)["clients"] if c["campaignId"] == campaign_id)
                assert len([key for key in seen if key.startswith(campaign_id + " ")]) == 2, seen
    except AssertionError:
        # What each tab saw, and its console, beside the failure.
        for tab in tabs:
            try:
                print("tab", tab["campaigns"], summary(tab))
                print("\n".join(entry["message"] for entry in driver.get_log("browser"))[-3000:])
            except Exception as error:  # noqa: BLE001 - a closed tab
                print("tab", tab["campaigns"], error)
        raise
    finally:
        driver.quit()
        proxy.stop()
