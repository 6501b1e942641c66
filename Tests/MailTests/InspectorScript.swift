/// The inspector run by `TestSupport.inspect`: Python's `email` and `icalendar` packages
/// read the messages and report what they found, as JSON. Kept as a string so the test
/// target holds Swift files only.
enum InspectorScript {
    static let source = #"""
        """Reads .eml files with Python's own parsers and prints what they contain, as JSON.

        Usage: inspect_eml.py FILE...   (one JSON object per file, in a JSON list)

        The e-mail is parsed by `email` (policy.default) and its calendars by `icalendar`
        (PyPI), independent implementations of RFC 5322/2045/2047 and RFC 5545.
        """
        import email
        import email.policy
        import json
        import sys

        try:
            import icalendar
        except ImportError:
            icalendar = None


        def text_of(value):
            return None if value is None else str(value)


        def ical_text(value):
            text = value.to_ical()
            return text.decode() if isinstance(text, bytes) else text


        def calendar_info(part):
            text = part.get_content()
            info = {"method_parameter": part.get_param("method"), "raw": text}
            if icalendar is None:
                return info
            calendar = icalendar.Calendar.from_ical(text)
            info["method"] = text_of(calendar.get("method"))
            info["timezones"] = []
            for zone in calendar.walk("VTIMEZONE"):
                blocks = []
                for block in zone.subcomponents:
                    blocks.append({
                        "kind": block.name,
                        "start": block.get("dtstart").dt.isoformat(),
                        "offset_from": ical_text(block.get("tzoffsetfrom")),
                        "offset_to": ical_text(block.get("tzoffsetto")),
                    })
                info["timezones"].append({"tzid": text_of(zone.get("tzid")), "blocks": blocks})
            events = []
            for event in calendar.walk("VEVENT"):
                start = event.get("dtstart")
                events.append({
                    "uid": text_of(event.get("uid")),
                    "sequence": int(event.get("sequence")),
                    "status": text_of(event.get("status")),
                    "summary": text_of(event.get("summary")),
                    "description": text_of(event.get("description")),
                    "location": text_of(event.get("location")),
                    "start_utc": start.dt.astimezone(__import__("datetime").timezone.utc).isoformat(),
                    "end_utc": event.get("dtend").dt.astimezone(__import__("datetime").timezone.utc).isoformat(),
                    "tzid": start.params.get("TZID"),
                    "organizer": text_of(event.get("organizer")),
                    "attendees": [text_of(a) for a in (event.get("attendee") if isinstance(event.get("attendee"), list) else [event.get("attendee")] if event.get("attendee") else [])],
                    "attendee_names": [a.params.get("CN") for a in (event.get("attendee") if isinstance(event.get("attendee"), list) else [event.get("attendee")] if event.get("attendee") else [])],
                })
            info["events"] = events
            return info


        def png_check(data):
            """Walks a PNG's chunks, checking each CRC and inflating IDAT: (width, height) or None."""
            import struct
            import zlib
            if not data.startswith(b"\x89PNG\r\n\x1a\n"):
                return None
            position, size, idat = 8, None, b""
            while position < len(data):
                length, kind = struct.unpack(">I4s", data[position:position + 8])
                body = data[position + 8:position + 8 + length]
                crc = struct.unpack(">I", data[position + 8 + length:position + 12 + length])[0]
                if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
                    return None
                if kind == b"IHDR":
                    size = struct.unpack(">II", body[:8])
                elif kind == b"IDAT":
                    idat += body
                elif kind == b"IEND":
                    break
                position += 12 + length
            zlib.decompress(idat)
            return size


        def inspect(path):
            raw = open(path, "rb").read()
            message = email.message_from_bytes(raw, policy=email.policy.default)
            defects = [f"{type(d).__name__}: {d}" for part in message.walk() for d in part.defects]
            lines = raw.split(b"\r\n")
            result = {
                "file": path,
                "defects": defects,
                "bare_line_feeds": raw.replace(b"\r\n", b"").count(b"\n") + raw.replace(b"\r\n", b"").count(b"\r"),
                "max_line_octets": max(len(line) for line in lines),
                "max_header_line_octets": max(len(line) for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")),
                "subject": text_of(message["subject"]),
                "from_name": message["from"].addresses[0].display_name,
                "from_address": message["from"].addresses[0].addr_spec,
                "to_name": message["to"].addresses[0].display_name,
                "to_address": message["to"].addresses[0].addr_spec,
                "reply_to": text_of(message["reply-to"]),
                "date": text_of(message["date"]),
                "message_id": text_of(message["message-id"]),
                "mime_version": text_of(message["mime-version"]),
                "content_types": [part.get_content_type() for part in message.walk()],
                "text": None,
                "html": None,
                "files": [],
                "calendars": [],
                "icalendar": icalendar is not None,
            }
            plain = message.get_body(("plain",))
            html = message.get_body(("html",))
            result["text"] = plain.get_content() if plain is not None else None
            result["html"] = html.get_content() if html is not None else None
            for part in message.walk():
                if part.is_multipart() or part in (plain, html):
                    continue
                if part.get_content_type() == "text/calendar":
                    result["calendars"].append(calendar_info(part))
                content = part.get_content()
                result["files"].append({
                    "content_type": part.get_content_type(),
                    "filename": part.get_filename(),
                    "disposition": part.get_content_disposition(),
                    "content_id": text_of(part["content-id"]),
                    "size": len(content),
                    "png_size": list(png_check(content) or []) if isinstance(content, bytes) else [],
                })
            return result


        if __name__ == "__main__":
            print(json.dumps([inspect(path) for path in sys.argv[1:]]))
        """#
}
