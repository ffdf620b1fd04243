"""python3-caldav (Debian 0.11) as a sharee: discovers the calendar shared with them among their
own (calendar-home-set, PROPFIND Depth 1), reads the owner's event, writes one, searches by date
and syncs by token through the instance. Run by python-caldav-sharee.test.ts with ALMANAC_URL
and ALMANAC_USER; prints one JSON line of facts."""
import datetime
import json
import os

import caldav

url = os.environ["ALMANAC_URL"]
user = os.environ["ALMANAC_USER"]
client = caldav.DAVClient(url=url, username=user, password=user + "-pw")
facts = {}

principal = client.principal()
calendars = principal.calendars()
names = {str(c.url): c.get_properties([caldav.elements.dav.DisplayName()]).get("{DAV:}displayname") for c in calendars}
facts["calendars"] = names
shared = next(c for c in calendars if names[str(c.url)] == "Work")
facts["shared_url"] = str(shared.url)

facts["events"] = sorted(e.instance.vevent.summary.value for e in shared.events())
sync = shared.objects_by_sync_token(load_objects=False)
facts["initial_sync"] = len(list(sync))

ev = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//python-caldav sharee//EN\r\nBEGIN:VEVENT\r\nUID:from-python\r\n"
      "DTSTAMP:20260101T000000Z\r\nDTSTART:20260112T090000Z\r\nDTEND:20260112T100000Z\r\nSUMMARY:From python\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n")
try:
    saved = shared.save_event(ev)
    facts["saved"] = str(saved.url)
except Exception as err:  # a read-only share refuses the write
    facts["saved"] = None
    facts["save_error"] = type(err).__name__

found = shared.date_search(start=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
                           end=datetime.datetime(2026, 2, 1, tzinfo=datetime.timezone.utc), compfilter="VEVENT")
facts["january"] = sorted(e.instance.vevent.summary.value for e in found)
facts["january_urls"] = sorted(str(e.url) for e in found)
delta = shared.objects_by_sync_token(sync_token=sync.sync_token, load_objects=True)
facts["delta"] = sorted(o.instance.vevent.summary.value for o in delta)
print(json.dumps(facts))
