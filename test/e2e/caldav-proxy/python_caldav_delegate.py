"""python3-caldav (Debian 0.11) as a write proxy: Bob opens Alice's principal by URL, reads her
calendar addresses, lists her calendars and stores an event in her default calendar. python-caldav
0.11 has no principal search (search_principals came in later versions), so that part is not
exercised here. Run by python-caldav-delegate.test.ts; prints one JSON line of facts."""
import json
import os

import caldav

url = os.environ["ALMANAC_URL"]
client = caldav.DAVClient(url=url, username="bob", password="bob-pw")
alice = caldav.Principal(client, url=url + "principals/users/alice/")
facts = {"addresses": sorted(str(a) for a in alice.calendar_user_address_set())}
calendars = alice.calendars()
facts["calendars"] = sorted(str(c.url) for c in calendars)
default = [c for c in calendars if str(c.url).endswith("/alice/default/")][0]
event = default.save_event(
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//python-caldav delegate//EN\r\nBEGIN:VEVENT\r\n"
    "UID:py-delegate\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270401T090000Z\r\n"
    "DTEND:20270401T100000Z\r\nSUMMARY:Booked by Bob\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
facts["saved"] = str(event.url)
print(json.dumps(facts))
