"""Drives Kalends with Debian's python3-caldav (0.11): discovery, a calendar made, events saved,
searched by time range and by UID, edited, synced by token and deleted. Prints one JSON line of
what it saw; the Node test (test/caldav-python.test.ts) asserts on it. Arguments: URL USER PASSWORD."""
import json
import sys
from datetime import datetime, timezone

import caldav

url, username, password = sys.argv[1:4]
out = {}

client = caldav.DAVClient(url=url, username=username, password=password)
principal = client.principal()
out["principal"] = str(principal.url)
calendars = principal.calendars()
out["calendars"] = [c.get_display_name() for c in calendars]

cal = principal.make_calendar(name="Python plans", cal_id="python-plans")
out["made"] = str(cal.url)
out["made_name"] = cal.get_display_name()

EVENT = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Kalends tests//python-caldav//EN
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20310101T000000Z
DTSTART:{start}
DTEND:{end}
SUMMARY:{summary}
END:VEVENT
END:VCALENDAR
"""

first = cal.save_event(EVENT.format(uid="py-1@example", start="20310310T090000Z", end="20310310T100000Z", summary="Python standup"))
cal.save_event(EVENT.format(uid="py-2@example", start="20310420T090000Z", end="20310420T100000Z", summary="Python retro"))

march = cal.date_search(start=datetime(2031, 3, 1, tzinfo=timezone.utc), end=datetime(2031, 4, 1, tzinfo=timezone.utc))
out["march"] = sorted(str(e.load().vobject_instance.vevent.summary.value) for e in march)

sync = cal.objects_by_sync_token(load_objects=False)
out["sync_initial"] = len(list(sync))
token = sync.sync_token

found = cal.event_by_uid("py-1@example")
found.load()
found.vobject_instance.vevent.summary.value = "Python standup (moved)"
found.save()
again = cal.event_by_uid("py-1@example")
out["edited"] = str(again.load().vobject_instance.vevent.summary.value)

changed = cal.objects_by_sync_token(sync_token=token, load_objects=True)
out["sync_changed"] = [str(o.vobject_instance.vevent.summary.value) for o in changed]

again.delete()
out["after_delete"] = sorted(str(e.load().vobject_instance.vevent.summary.value) for e in cal.events())
cal.delete()
out["calendars_after"] = [c.get_display_name() for c in principal.calendars()]
print(json.dumps(out))
