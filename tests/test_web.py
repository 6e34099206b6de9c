"""The officer's pages through Flask's test client: safe by default (CSRF, escaping, the token
with --host, local names only), bad input answered with a clear page and never a traceback,
and ``mse-advisor serve`` itself. The whole visit in a browser is tests/test_web_browser.py."""
from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import SHIPPED_KB
from web.app import create_app

HOSTILE = '<script>alert("owner")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def app(tmp_path, history_db):
    return create_app(history_db, None, tmp_path / "cases")


@pytest.fixture
def client(app):
    return app.test_client()


def csrf(client, path="/visit/new") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def register(client, **fields) -> str:
    """A new visit registered with ``fields``; its interview's address."""
    response = client.post("/visit/new", data={"csrf_token": csrf(client), **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def conclude(client, visit: str, answers: int = 0) -> int:
    """Answer the first ``answers`` questions with their first choice (or 12), then done;
    the consultation's number."""
    token = csrf(client)
    for _ in range(answers):
        page = client.get(visit).get_data(as_text=True)
        choice = re.search(r'name="value" value="([^"]+)"', page)
        client.post(visit, data={"csrf_token": token, "action": "answer",
                                 "value": choice.group(1) if choice else "12"})
    client.get(visit)
    done = client.post(visit, data={"csrf_token": token, "action": "done"})
    return int(done.headers["Location"].rsplit("/", 1)[1])


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused_and_does_nothing(client, tmp_path):
    response = client.post("/visit/new", data={"enterprise": "Mama Chai"})
    assert response.status_code == 400
    assert "This form has expired" in text_of(response)
    assert not (tmp_path / "cases").exists()
    forged = client.post("/visit/new", data={"enterprise": "x", "csrf_token": "forged"})
    assert forged.status_code == 400
    visit = register(client, enterprise="Mama Chai")
    client.get(visit)
    assert client.post(visit, data={"action": "done"}).status_code == 400
    assert "consultation" not in client.get(visit).headers.get("Location", "")


def test_a_hostile_case_name_is_shown_as_text_everywhere(client):
    visit = register(client, enterprise=HOSTILE, officer=HOSTILE, owner=HOSTILE,
                     visit_date="2024-12-31")
    question = text_of(client.get(visit))
    row = conclude(client, visit, answers=2)
    pages = [question, text_of(client.get("/")), text_of(client.get(f"/consultation/{row}")),
             text_of(client.get(f"/consultation/{row}/report")),
             text_of(client.get(f"/consultation/{row}/handout"))]
    for page in pages:
        assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in pages[1] and "&lt;script&gt;alert(" in pages[2]
    assert "2024-12-31" in pages[2]  # the visit date registered


def test_pages_run_no_script_and_keep_the_token_to_themselves(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_with_host_every_request_without_the_token_is_refused(tmp_path, history_db):
    client = create_app(history_db, None, tmp_path / "cases", token="s3cret-token",
                        local=False).test_client()
    for path in ("/", "/visit/new", "/static/style.css", "/consultation/1", "/compare"):
        assert client.get(path).status_code == 403, path
        assert client.get(path + "?token=wrong").status_code == 403, path
    assert "token printed" in text_of(client.get("/"))
    page = client.get("/?token=s3cret-token")
    assert page.status_code == 200
    links = re.findall(r'(?:href|action)="(/[^"]*)"', text_of(page))
    assert links and all("token=s3cret-token" in link for link in links), links


def test_bound_locally_it_answers_only_requests_addressed_to_this_computer(client):
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400


@pytest.mark.parametrize("path, status, says", [
    ("/compare?first=one&second=2", 400, "Say which two visits to compare"),
    ("/compare", 400, "Say which two visits to compare"),
    ("/consultation/999", 404, "no consultation #999"),  # not found, not a server fault
    ("/visit/not-a-visit", 404, "No visit in progress has this address"),
    ("/no/such/page", 404, "No such page"),
])
def test_bad_addresses_get_a_clear_page_not_a_traceback(client, path, status, says):
    conclude(client, register(client, enterprise="Mama Chai"))  # a history to look in
    response = client.get(path)
    assert response.status_code == status
    assert says in text_of(response)
    assert "Traceback" not in text_of(response)


def test_a_bad_registration_says_what_to_correct_and_keeps_what_was_typed(client):
    response = client.post("/visit/new", data={"csrf_token": csrf(client), "id": "bad id!",
                                                "enterprise": "Mama Chai"})
    assert response.status_code == 400
    page = text_of(response)
    assert "may hold only letters, digits" in page and 'value="Mama Chai"' in page
    bell = client.post("/visit/new", data={"csrf_token": csrf(client), "owner": "A\x07B"})
    assert bell.status_code == 400 and "owner" in text_of(bell)
    day = client.post("/visit/new", data={"csrf_token": csrf(client), "visit_date": "31/12/24"})
    assert day.status_code == 400 and "write it as YYYY-MM-DD" in text_of(day)


def test_a_refused_answer_asks_the_same_question_again(client):
    visit = register(client, enterprise="Mama Chai")
    token = csrf(client)
    page = text_of(client.get(visit))
    while 'type="checkbox"' in page:  # a list: nothing ticked is an answer ("none applies")
        choice = re.search(r'name="value" value="([^"]+)"', page).group(1)
        client.post(visit, data={"csrf_token": token, "action": "answer", "value": choice})
        page = text_of(client.get(visit))
    first = re.search(r"<legend>(.*?)</legend>", page, re.S).group(1)
    empty = client.post(visit, data={"csrf_token": token, "action": "answer", "value": ""})
    page = text_of(client.get(empty.headers["Location"]))
    assert "Choose or type an answer" in page and first in page
    for word in ("done", "?", " Why "):  # typed in the answer box: not a button
        client.post(visit, data={"csrf_token": token, "action": "answer", "value": word})
        page = text_of(client.get(visit))
        assert "Choose or type an answer" in page and first in page
    client.post(visit, data={"csrf_token": token, "action": "answer", "value": "not-a-choice"})
    page = text_of(client.get(visit))
    assert "Not accepted" in page and first in page
    odd = client.post(visit, data={"csrf_token": token, "action": "rm -rf"})
    assert odd.status_code == 400 and "No such button" in text_of(odd)


def test_the_case_list_names_the_visits_due_first(client):
    assert "Visits due" not in text_of(client.get("/"))
    conclude(client, register(client, enterprise="Mama Chai", id="chai-1"))  # nothing known
    page = text_of(client.get("/"))
    due = page.split('id="due"', 1)[1].split("</section>", 1)[0]
    assert "Visits due (1)" in page and "Mama Chai</a>: confidence low" in due
    assert "next visit due" in page
    from engine import api

    sure = api.consult(SHIPPED_KB / "cases" / "FINANCE-1.yaml").result
    assert sure["verdict"]["confidence"] == "high"
    api.store_consultation(sure)  # the history of this test (MSE_ADVISOR_DB)
    page = text_of(client.get("/"))
    assert "FINANCE-1" in page and "All cases (2)" in page and "Visits due (1)" in page
    assert "FINANCE-1" not in page.split('id="due"', 1)[1].split("</section>", 1)[0]


def test_two_visits_of_different_enterprises_cannot_be_compared(client):
    one = conclude(client, register(client, enterprise="Mama Chai", id="chai-1"))
    two = conclude(client, register(client, enterprise="Baba Mandazi", id="mandazi-1"))
    response = client.get(f"/compare?first={one}&second={two}")
    assert response.status_code == 400 and "same enterprise" in text_of(response)


def test_serve_prints_its_address_and_answers_there(tmp_path, history_db):
    server = subprocess.Popen(
        [sys.executable, "-c", "import cli; cli.main()", "serve", "--no-browser", "--port", "0",
         "--host", "127.0.0.1", "--cases", str(tmp_path / "cases")],
        stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        url = re.search(r"http://\S+", line).group(0)
        assert "?token=" in url
        with urllib.request.urlopen(url, timeout=20) as response:
            assert "Cases" in response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url.split("?")[0], timeout=20)
        assert refused.value.code == 403
    finally:
        server.terminate()
        server.wait(20)


def test_serve_on_a_port_in_use_says_so(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        run = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "serve",
                              "--no-browser", "--port", str(port)],
                             capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "--port" in run.stderr and "Traceback" not in run.stderr
    assert time.monotonic() - started < 60


def test_an_unexpected_fault_is_a_page_that_says_so_not_a_traceback(client, monkeypatch):
    from engine import api

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(api, "list_consultations", broken)
    response = client.get("/")
    assert response.status_code == 500
    assert "Internal error" in text_of(response) and "RuntimeError" in text_of(response)
    assert "Traceback" not in text_of(response) and "disk on fire" not in text_of(response)


def test_serve_opens_the_browser_at_its_address_unless_told_not_to(monkeypatch, tmp_path):
    import webbrowser

    import werkzeug.serving
    from click.testing import CliRunner

    import cli

    class Server:  # stands for werkzeug's: serves until Ctrl-C
        server_port = 8765

        def serve_forever(self):
            raise KeyboardInterrupt

        def server_close(self):
            self.closed = True

    opened = []
    monkeypatch.setattr(werkzeug.serving, "make_server", lambda *args, **kwargs: Server())
    monkeypatch.setattr(webbrowser, "open", opened.append)
    run = CliRunner().invoke(cli.main, ["serve", "--cases", str(tmp_path)])
    assert run.exit_code == 0, run.output
    assert opened == ["http://127.0.0.1:8765/"] and "Stopped." in run.output
    run = CliRunner().invoke(cli.main, ["serve", "--no-browser", "--cases", str(tmp_path)])
    assert run.exit_code == 0 and len(opened) == 1


def test_when_the_interview_stops_the_officer_may_ask_more_or_have_the_advice(client):
    visit = register(client, enterprise="Mama Chai")
    token = csrf(client)
    for _ in range(40):  # the first visit's budget is 20 questions; it may settle sooner
        page = text_of(client.get(visit))
        if "The questions are done" in page:
            break
        assert re.search(r"Question \d+ of about \d+", page)
        choice = re.search(r'name="value" value="([^"]+)"', page)
        client.post(visit, data={"csrf_token": token, "action": "answer",
                                 "value": choice.group(1) if choice else "12"})
    else:
        pytest.fail("the interview never stopped")
    assert "more optional question" in page and "Type more" not in page
    more = client.post(visit, data={"csrf_token": token, "action": "more"})
    assert more.headers["Location"].endswith(visit)
    assert "<legend>" in text_of(client.get(visit))  # one more question
    done = client.post(visit, data={"csrf_token": token, "action": "done"})
    assert "/consultation/" in done.headers["Location"]
