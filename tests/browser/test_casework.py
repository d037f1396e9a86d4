"""A worker's whole journey with a request, in a real browser: the worker files from a station's QR link on a
phone (390 x 844) → the union chair accepts it in the admin → forwards it up (代访代办) → the station's
mediation desk opens a case from it, which settles with an agreement → the 调解协议书 is printed → the worker
rates the handling on the status page. Screenshots go under pytest's tmp_path; their paths are printed."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

import pytest
from django.utils import timezone

from casework.models import Agreement, MediationCase, WorkerRequest
from tests.browser.conftest import admin_login
from tests.browser.test_screens import OVERFLOW
from tests.casework.factories import handler_for, hierarchy, mediation_station
from tests.factories import JIAFENG, UserFactory
from unionhub.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"
# Words that must never reach a worker's screen: English left untranslated, internal names.
INTERNAL = ("None", "True", "False", "null", "escalation_level", "holder", "casework", "Traceback")


def tiny_png() -> bytes:
    """A valid 1 x 1 PNG (a phone photo stand-in)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


@pytest.fixture
def phone390(browser):
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    yield page
    context.close()


class Shots:
    def __init__(self, directory):
        self.directory = directory
        self.paths: list[str] = []

    def __call__(self, page, name: str, *, phone: bool = False) -> None:
        page.wait_for_load_state("networkidle")
        path = self.directory / f"{len(self.paths) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.paths.append(str(path))
        print(f"screenshot: {path}")
        if phone:
            assert page.evaluate(NO_OVERFLOW), (
                f"{name}: wider than the phone ({page.evaluate('document.documentElement.scrollWidth')} px)"
            )
            text = page.inner_text("body")
            leaked = [word for word in INTERNAL if word in text]
            assert not leaked, f"{name}: internal or English words on a worker's page: {leaked}"


def test_a_worker_files_at_a_station_and_rates_the_settled_mediation(live_server, phone390, desk, people, tmp_path):
    shot = Shots(tmp_path)
    unions = hierarchy()
    chair = UserFactory(username="chair", first_name="张主席", role=Role.STATION_MANAGER)
    handler_for(unions["town"], chair)
    station = mediation_station(
        region_id=JIAFENG,
        name="嘉峰镇劳动关系服务站",
        code="140521104-L-001",
        host=unions["town"],
        managers=[people["dave"]],
    )
    photo = tmp_path / "pay-slip.png"
    photo.write_bytes(tiny_png())

    # 1. The worker scans the station's QR code and files the request on the phone.
    phone = phone390
    phone.goto(f"{live_server.url}/cases/?station={station.code}")
    phone.wait_for_selector("#file-form")
    assert station.name in phone.inner_text("#source")
    shot(phone, "phone-empty-form", phone=True)
    phone.click("#file-form button[type=submit]")  # nothing filled in: messages beside the fields
    phone.wait_for_selector("#consent-error")
    assert "个人信息" in phone.inner_text("#consent-error")
    assert phone.inner_text("[data-field=category] .field-message").strip()
    shot(phone, "phone-form-errors", phone=True)
    assert not WorkerRequest.objects.exists()

    phone.select_option("#id_category", "wages")
    phone.fill("#id_employer_name", "嘉峰镇宏达建筑工程有限公司")
    phone.fill("#id_description", "2025年10月至12月的工资共18600元至今未发，老板说工程款没到。")
    phone.fill("#id_wanted", "结清拖欠的工资。")
    phone.set_input_files("#id_attachments", str(photo))
    phone.fill("#id_name", "李师傅")
    phone.fill("#id_mobile", "139 0356 7788")
    phone.check("#id_consent")
    shot(phone, "phone-form-filled", phone=True)
    phone.click("#file-form button[type=submit]")
    phone.wait_for_selector("#reference")
    reference = phone.inner_text("#reference").strip()
    item = WorkerRequest.objects.get(reference=reference)
    assert (item.station_id, item.holder_id, item.handler_id) == (station.pk, unions["town"].pk, chair.pk)
    assert item.attachments.count() == 1
    assert unions["town"].name in phone.inner_text("#holder")
    shot(phone, "phone-filed", phone=True)

    # 2. The union chair finds it on their desk and accepts it.
    admin_login(desk, live_server, "chair")
    desk.goto(f"{live_server.url}/admin/casework/workerrequest/?mine=me")
    desk.wait_for_selector("#result_list")
    assert reference in desk.inner_text("#result_list")
    assert "13903567788" not in desk.content()  # masked for a chair
    shot(desk, "desk-chair-queue")
    desk.click(f"#result_list a:text('{reference}')")
    desk.wait_for_selector("#id_action")
    attachment_link = desk.locator("#attachments-group a").first
    assert attachment_link.count() == 1
    download = desk.request.get(live_server.url + attachment_link.get_attribute("href"))
    assert download.status == 200 and download.headers["content-type"] == "image/png"
    desk.select_option("#id_action", "accept")
    desk.fill("#id_message", "已收到，明天联系企业。")
    shot(desk, "desk-chair-accepts")
    desk.click("input[name=_continue]")
    desk.wait_for_selector(".messagelist")
    item.refresh_from_db()
    assert item.status == "accepted" and item.acknowledged_at is not None

    # 3. The employer refuses to talk to the town union: outside its authority, forwarded up (代访代办).
    desk.select_option("#id_action", "forward")
    desk.fill("#id_message", "企业拒不配合，请县总工会协调。")
    desk.click("input[name=_continue]")
    desk.wait_for_selector(".messagelist .success")
    assert "/workerrequest/" in desk.url and "/change/" not in desk.url  # back to the list, not "does not exist"
    assert not desk.locator(".messagelist .warning").count()
    item.refresh_from_db()
    assert item.holder == unions["county"] and item.escalation_level == 1
    shot(desk, "desk-forwarded")

    phone.reload()
    assert "县总工会" in phone.inner_text("#holder")
    assert "转" in phone.inner_text("#timeline") or "上级" in phone.inner_text("#timeline")
    shot(phone, "phone-forwarded", phone=True)

    # 4. The station's mediation desk opens mediation from the request's own page (by the request, no numbers to
    # type), then records the parties, the claim and the mediator on the case's page.
    desk.context.clear_cookies()
    admin_login(desk, live_server, "dave")
    desk.goto(f"{live_server.url}/admin/casework/workerrequest/{item.pk}/change/")
    desk.wait_for_selector("#id_action")
    desk.select_option("#id_action", "mediate")
    desk.select_option("#id_mediation_station", str(station.pk))
    desk.click("input[name=_continue]")
    desk.wait_for_selector(".messagelist .success")
    case = MediationCase.objects.get(request=item)
    assert case.number in desk.inner_text(".messagelist")
    item.refresh_from_db()
    assert item.status == "mediation" and item.resolved_at is None  # a stage of the request, not its end
    shot(desk, "desk-mediation-opened")

    phone.reload()
    phone.wait_for_selector(f"#mediation-{case.number}")
    assert "调解" in phone.inner_text("#status") and not phone.locator("#rate-form").count()
    shot(phone, "phone-in-mediation", phone=True)

    desk.goto(f"{live_server.url}/admin/casework/mediationcase/{case.pk}/change/")
    desk.wait_for_selector("#parties-group")
    assert item.reference in desk.inner_text("body")
    desk.click("#parties-group .add-row a")
    desk.click("#parties-group .add-row a")
    desk.select_option("#id_parties-0-role", "worker")
    desk.fill("#id_parties-0-name", "李师傅")
    desk.select_option("#id_parties-1-role", "employer")
    desk.fill("#id_parties-1-name", "嘉峰镇宏达建筑工程有限公司")
    desk.click("#claims-group .add-row a")
    desk.fill("#id_claims-0-description", "2025年10月至12月工资")
    desk.fill("#id_claims-0-amount_claimed", "18600")
    desk.fill("#id_claims-0-amount_agreed", "18600")
    desk.click("#mediators-group .add-row a")
    desk.fill("#id_mediators-0-name", "赵调解")
    desk.click("#meetings-group .add-row a")
    when = timezone.localtime() + dt.timedelta(days=1)
    desk.fill("#id_meetings-0-held_at_0", when.date().isoformat())
    desk.fill("#id_meetings-0-held_at_1", "09:30:00")
    desk.fill("#id_meetings-0-place", "嘉峰镇调解室")
    shot(desk, "desk-case-opened")
    fits = desk.evaluate(OVERFLOW)
    assert fits["scroll"] <= fits["width"] and not fits["outside"], fits
    desk.click("input[name=_continue]")
    desk.wait_for_selector(".messagelist .success")
    assert (case.parties.count(), case.claims.count(), case.mediators.count()) == (2, 1, 1)
    # Saved, the claim's drop-down offers the case's worker (and only workers).
    options = desk.locator("#id_claims-0-party option").all_inner_texts()
    assert any("李师傅" in o for o in options) and not any("宏达" in o for o in options), options
    fits = desk.evaluate(OVERFLOW)
    assert fits["scroll"] <= fits["width"] and not fits["outside"], fits

    phone.reload()
    assert "嘉峰镇调解室" in phone.inner_text(f"#mediation-{case.number}")
    shot(phone, "phone-meeting", phone=True)

    # 5. It settles: the agreement is signed, paid in two instalments; the 调解协议书 is printed.
    desk.goto(f"{live_server.url}/admin/casework/agreement/add/")
    desk.fill("#id_case", str(case.pk))
    desk.fill("#id_signed_on", timezone.localdate().isoformat())
    desk.fill("#id_terms", "企业于签订之日起分两期支付所欠工资18600元。")
    desk.click("#instalments-group .add-row a")
    desk.click("#instalments-group .add-row a")
    for n, amount in enumerate(("10000", "8600")):
        desk.fill(f"#id_instalments-{n}-sequence", str(n + 1))
        desk.fill(f"#id_instalments-{n}-due_on", timezone.localdate().isoformat())
        desk.fill(f"#id_instalments-{n}-amount", amount)
    desk.click("input[name=_save]")
    desk.wait_for_selector(".messagelist .success")
    agreement = Agreement.objects.get(case=case)
    case.refresh_from_db()
    assert case.status == "settled" and agreement.instalments.count() == 2
    shot(desk, "desk-agreements")
    desk.goto(live_server.url + desk.get_attribute("#result_list a[target=_blank]", "href"))
    desk.wait_for_selector("h1")
    printed = desk.inner_text("body")
    assert "调解协议书" in printed and case.number in printed and "18,600.00" in printed
    assert "李师傅" in printed and "赵调解" in printed
    desk.emulate_media(media="print")
    shot(desk, "desk-agreement-printed")
    assert desk.locator(".no-print").first.is_hidden()

    # 6. The worker follows it to the agreement and rates it.
    phone.reload()
    phone.wait_for_selector("#rate-form")
    assert case.number in phone.inner_text("#timeline")
    mediation_card = phone.inner_text(f"#mediation-{case.number}")
    assert "18,600.00" in mediation_card and "调解成功" in mediation_card
    shot(phone, "phone-resolved", phone=True)
    phone.check("#rate-form input[name=rating][value='5']")
    phone.check("#rate-form input[name=good][value='result']")
    phone.fill("#id_comment", "一周就拿到了钱，谢谢工会！")
    phone.click("#rate-form button[type=submit]")
    phone.wait_for_selector("#rated")
    item.refresh_from_db()
    assert (item.status, item.rating, item.rating_good) == ("closed", 5, ["result"])
    assert phone.inner_text("#status").strip() == "已结束"
    shot(phone, "phone-rated", phone=True)

    # Coming back another day: the status page, by reference and mobile number.
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/cases/status/?ref={reference}")
    phone.fill("#id_mobile", "13903567788")
    phone.click("form button[type=submit]")
    phone.wait_for_selector("#rated")
    shot(phone, "phone-status-again", phone=True)
    print("\n".join(shot.paths))


def test_the_grassroots_chair_works_his_queue_in_the_browser(live_server, desk, people, tmp_path):
    """The chair of a grassroots union - no region, no other role, a handler by the union he serves - logs in,
    opens his queue, accepts a request, replies to the worker and resolves it."""
    from casework.services.handlers import union_handler_add
    from tests.casework.factories import file_request

    shot = Shots(tmp_path)
    unions = hierarchy()
    chair = UserFactory(username="lijianguo", first_name="李建国", is_staff=False)
    union_handler_add(union=unions["grassroots"], user=chair, is_default=True)
    deputy = UserFactory(username="deputy-login", first_name="王副主席")
    union_handler_add(union=unions["grassroots"], user=deputy)
    item = file_request(employer_name=unions["grassroots"].employer, mobile="13903567788")
    elsewhere = file_request(employer_name="查无此公司")

    admin_login(desk, live_server, "lijianguo")
    desk.goto(f"{live_server.url}/admin/casework/workerrequest/")
    desk.wait_for_selector("#result_list")
    queue = desk.inner_text("#result_list")
    assert item.reference in queue and elsewhere.reference not in queue
    assert "李建国" in queue and "lijianguo" not in queue  # the handler by name, never by login
    shot(desk, "chair-queue")
    desk.goto(f"{live_server.url}/admin/")
    assert "无人处理" in desk.inner_text("body") or "诉求" in desk.inner_text("body")  # his workbench
    desk.goto(f"{live_server.url}/admin/casework/workerrequest/{item.pk}/change/")
    desk.wait_for_selector("#id_action")
    options = desk.locator("#id_handler_choice option").all_inner_texts()
    assert any(f"王副主席 · {unions['grassroots'].name}" == o for o in options), options
    assert not any("login" in o for o in options), options
    for action, message, status in (
        ("accept", "已收到，今天联系企业。", "accepted"),
        ("respond", "已与企业财务约好周五结清。", "accepted"),
        ("resolve", "工资已于周五全部结清。", "resolved"),
    ):
        desk.select_option("#id_action", action)
        if action == "resolve":
            desk.select_option("#id_resolve_outcome", "supported")
        desk.fill("#id_message", message)
        desk.click("input[name=_continue]")
        desk.wait_for_selector(".messagelist .success")
        item.refresh_from_db()
        assert item.status == status, (action, desk.inner_text(".messagelist"))
    shot(desk, "chair-resolved")
    assert item.handler == chair
    assert item.events.filter(kind="responded", actor=chair).exists()
