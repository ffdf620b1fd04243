"""python3-caldav (Debian 0.11) against Almanac: discovery, MKCALENDAR, events and tasks,
searches by date range (with recurrence and expansion), by UID, and sync by token.
Run by python-caldav.test.ts with ALMANAC_URL, prints one JSON line of facts."""
import datetime
import json
import os
import sys

import caldav

url = os.environ["ALMANAC_URL"]
client = caldav.DAVClient(url=url, username="alice", password="alice-pw")
facts = {}

principal = client.principal()  # /.well-known/caldav → current-user-principal → principal
facts["principal"] = str(principal.url)
calendars = principal.calendars()  # calendar-home-set → PROPFIND Depth 1
facts["calendars"] = sorted(str(c.url) for c in calendars)

cal = principal.make_calendar(name="Python Work", cal_id="pywork", supported_calendar_component_set=["VEVENT", "VTODO"])
facts["made"] = str(cal.url)
facts["displayname"] = cal.get_properties([caldav.elements.dav.DisplayName()]).get("{DAV:}displayname")

def ev(uid, start, end, extra=""):
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//python-caldav test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n"
            f"DTSTAMP:20240101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{uid}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n")

cal.save_event(ev("one", "20240305T100000Z", "20240305T110000Z"))
cal.save_event(ev("two", "20240320T100000Z", "20240320T110000Z"))
cal.save_event(ev("weekly", "20240101T090000Z", "20240101T093000Z", "RRULE:FREQ=WEEKLY;COUNT=20\r\n"))
cal.save_event(ev("april", "20240410T100000Z", "20240410T110000Z"))
cal.save_todo("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VTODO\r\nUID:task-1\r\nDTSTAMP:20240101T000000Z\r\nDUE:20240315T170000Z\r\nSUMMARY:File taxes\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")

march = cal.date_search(start=datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc),
                        end=datetime.datetime(2024, 4, 1, tzinfo=datetime.timezone.utc), compfilter="VEVENT")
facts["march"] = sorted(e.instance.vevent.uid.value for e in march)

expanded = cal.date_search(start=datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc),
                           end=datetime.datetime(2024, 3, 15, tzinfo=datetime.timezone.utc), compfilter="VEVENT", expand=True)
starts = []
for e in expanded:
    for v in e.instance.vevent_list:
        if v.uid.value == "weekly":
            starts.append(v.dtstart.value.strftime("%Y%m%dT%H%M%SZ"))
facts["weekly_expanded"] = sorted(starts)

facts["by_uid"] = str(cal.event_by_uid("two").url)
facts["todos"] = sorted(t.instance.vtodo.uid.value for t in cal.todos())
facts["all_events"] = len(cal.events())

# Sync: initial token, one change, one delete, then the delta.
first = cal.objects_by_sync_token(load_objects=False)
token = first.sync_token
facts["initial_sync"] = len(list(first))
cal.save_event(ev("three", "20240321T100000Z", "20240321T110000Z"))
cal.event_by_uid("one").delete()
delta = cal.objects_by_sync_token(sync_token=token, load_objects=True)
facts["delta"] = sorted(str(o.url).rsplit("/", 1)[-1] for o in delta)
facts["delta_loaded"] = sorted(o.instance.vevent.uid.value for o in delta if o.data)

cal.delete()
facts["deleted"] = str(cal.url) not in [str(c.url) for c in principal.calendars()]
print(json.dumps(facts))
