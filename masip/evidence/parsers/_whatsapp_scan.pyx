# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The WhatsApp parser's main pass, compiled (ADR 0025).

``whatsapp._entries`` in pure Python is the reference: this module does the
same work for the common case and hands every uncommon one back to it, so
the two give the same entries, problems and notes (a property test runs both
on generated exports). What it does here, per message:

* finds the header of each line with a matcher built from the file's
  :class:`~masip.evidence.parsers.whatsapp.Layout`, following the regular
  expression of ``Layout.message_pattern`` step by step (the layouts where
  that pattern could backtrack differently are never given to it);
* reads the timestamp's digits into an aware datetime; a day whose UTC
  offset changes, or a date or time that is impossible, goes to the Python
  clock, which notes or reports it;
* decodes sender and text, numbers repeats, sorts out kinds, and builds the
  entry with its SHA-256 digest, computed with OpenSSL from the bytes the
  text was decoded from. Entries whose digest needs more than that (text
  that is not UTF-8, attachments, a time the Python clock made) are left to
  compute it themselves, with ``entry_digest``.

Every read of the buffer is checked against the end of the region being
scanned; the buffer is a ``bytes`` object that stays alive for the scan.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.datetime cimport datetime_new, import_datetime
from cpython.object cimport PyObject
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.string cimport memchr, memcmp, memcpy

from masip.evidence.parsers.base import ParsedEntry

import_datetime()


cdef extern from "openssl/sha.h":
    # The one-shot SHA-256 functions: deprecated in OpenSSL 3 in favour of
    # EVP, but present throughout 3.x, and without EVP's per-call provider
    # and context work, which measured as a visible share of a 1.5 us
    # message (docs/benchmarks.md). Python's own hashlib needs a Python
    # call per digest.
    ctypedef struct SHA256_CTX:
        pass
    int SHA256_Init(SHA256_CTX *c)
    int SHA256_Update(SHA256_CTX *c, const void *data, size_t len)
    int SHA256_Final(unsigned char *md, SHA256_CTX *c)


cdef extern from *:
    """
    static const void *masip_memmem(const void *h, size_t hn, const void *n, size_t nn) {
        return memmem(h, hn, n, nn);
    }

    /* An instance of a tuple subclass (a named tuple) holding ``items``: what
       tuple.__new__(type, items) does on CPython 3.12 and 3.13
       (tuple_subtype_new), without first building a plain tuple to copy.
       Other versions take the documented way. */
    static PyObject *masip_subtuple(PyTypeObject *type, PyObject **items, Py_ssize_t n) {
    #if PY_VERSION_HEX >= 0x030C0000 && PY_VERSION_HEX < 0x030E0000
        PyObject *obj = type->tp_alloc(type, n);
        if (obj == NULL) return NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_INCREF(items[i]);
            PyTuple_SET_ITEM(obj, i, items[i]);
        }
        if (!PyObject_GC_IsTracked(obj)) PyObject_GC_Track(obj);
        return obj;
    #else
        PyObject *plain = PyTuple_New(n);
        if (plain == NULL) return NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_INCREF(items[i]);
            PyTuple_SET_ITEM(plain, i, items[i]);
        }
        PyObject *args = PyTuple_Pack(1, plain);
        Py_DECREF(plain);
        if (args == NULL) return NULL;
        PyObject *obj = PyTuple_Type.tp_new(type, args, NULL);
        Py_DECREF(args);
        return obj;
    #endif
    }
    """
    const void *masip_memmem(const void *h, size_t hn, const void *n, size_t nn)
    object masip_subtuple(type t, PyObject **items, Py_ssize_t n)


cdef enum:
    # How many senders are remembered decoded, and how many identical-time
    # items are compared in a list before a dict takes over.
    SENDER_CACHE = 16
    REPEATS_LIST = 16
    STAMP_MAX = 64  # the longest timestamp remembered (they are about 20 bytes)
    SEP_BRACKET = 0
    SEP_DASH = 1
    SEP_COLON = 2
    TAIL_LEN = 11

cdef const char *HEX = b"0123456789abcdef"
# After the text: no attachments, the direction, no duration.
cdef const char *TAIL = b"\x1f\x1funknown\x1f\x1f"
cdef int DAYS_IN_MONTH[13]
DAYS_IN_MONTH[:] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


cdef inline bint _digit(unsigned char c) noexcept nogil:
    return 48 <= c <= 57


cdef inline Py_ssize_t _digits(const unsigned char *s, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """How many ASCII digits start at ``i``."""
    cdef Py_ssize_t j = i
    while j < n and _digit(s[j]):
        j += 1
    return j - i


cdef inline Py_ssize_t _number(const unsigned char *s, Py_ssize_t j, Py_ssize_t n,
                               Py_ssize_t fewest, Py_ssize_t most) noexcept nogil:
    """Past a run of ``fewest`` to ``most`` digits at ``j`` (the whole run,
    as the pattern's digit counts are always followed by a non-digit), or
    -1; a ``j`` of -1 stays -1."""
    if j < 0:
        return -1
    cdef Py_ssize_t k = _digits(s, j, n)
    return j + k if fewest <= k <= most else -1


cdef inline Py_ssize_t _sep(const unsigned char *s, Py_ssize_t j, Py_ssize_t n,
                            unsigned char c) noexcept nogil:
    """Past the byte ``c`` at ``j``, or -1 (and -1 stays -1)."""
    return j + 1 if 0 <= j < n and s[j] == c else -1


cdef inline Py_ssize_t _space(const unsigned char *s, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """The length of a space, U+00A0 or U+202F at ``i``, or 0."""
    if i < n and s[i] == 0x20:
        return 1
    if i + 2 <= n and s[i] == 0xC2 and s[i + 1] == 0xA0:
        return 2
    if i + 3 <= n and s[i] == 0xE2 and s[i + 1] == 0x80 and s[i + 2] == 0xAF:
        return 3
    return 0


cdef inline bint _leap(long year) noexcept nogil:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


cdef long _days_from_civil(long y, long m, long d) noexcept nogil:
    """Days since 1970-01-01 of a proleptic Gregorian date."""
    if m <= 2:
        y -= 1
    cdef long era = (y if y >= 0 else y - 399) // 400
    cdef long yoe = y - era * 400
    cdef long mp = m - 3 if m > 2 else m + 9
    cdef long doy = (153 * mp + 2) // 5 + d - 1
    cdef long doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


cdef void _civil_from_days(long z, long *y, long *m, long *d) noexcept nogil:
    z += 719468
    cdef long era = (z if z >= 0 else z - 146096) // 146097
    cdef long doe = z - era * 146097
    cdef long yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    cdef long doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    cdef long mp = (5 * doy + 2) // 153
    d[0] = doy - (153 * mp + 2) // 5 + 1
    m[0] = mp + 3 if mp < 10 else mp - 9
    y[0] = yoe + era * 400 + (1 if m[0] <= 2 else 0)


cdef void _put(char *out, long value, int width) noexcept nogil:
    cdef int i
    for i in range(width - 1, -1, -1):
        out[i] = <char>(48 + value % 10)
        value //= 10


cdef class Scanner:
    """Splits buffers of a WhatsApp export into entries; see ``whatsapp._entries``."""

    # The layout.
    cdef bint bracket, year_first, twelve, marks, crlf, ios
    cdef int sep_kind
    cdef unsigned char dsep, tsep
    cdef bytes mid
    cdef int order  # 0 dmy, 1 mdy, 2 ymd
    # Python's part.
    cdef object tz, clock, day_offset, suspect_search, report_suspects
    cdef object report_impossible, attachments_of, markers
    cdef object whatsapp, message, system, unknown, empty
    cdef dict participants
    # Position in the file.
    cdef public Py_ssize_t line, offset, items
    cdef public list undecodable
    # Repeats within the current time.
    cdef object current
    cdef list rep_senders, rep_texts  # slots reused; rep_len of them in use
    cdef Py_ssize_t rep_len
    cdef object repeats  # a dict, or None while the lists are short
    # Senders seen lately: raw bytes and the name decoded from them.
    cdef list sender_bytes, sender_names
    # Messages counted for each cached sender, added to report.participants
    # when a scan returns or the sender leaves the cache.
    cdef Py_ssize_t sender_counts[SENDER_CACHE]
    cdef Py_ssize_t sender_slot  # the slot _sender last answered from, or -1
    cdef unsigned long long marker_lengths  # bit n: a marker is n bytes long
    cdef bint digests
    cdef object entry_digest
    # The last timestamp read, and the last day.
    cdef char last_stamp[STAMP_MAX]
    cdef Py_ssize_t last_stamp_len
    cdef object last_when
    cdef char last_utc[25]
    cdef bint last_utc_ok
    cdef long last_y, last_m, last_d
    cdef object last_day_offset  # int seconds, or None on a day the clocks change
    cdef dict kind_bytes

    def __init__(self, layout, str order, tz, *, clock, day_offset, suspect,
                 report_suspects, report_impossible, attachments_of, report,
                 markers, kinds, bint digests, entry_digest,
                 Py_ssize_t line, Py_ssize_t offset):
        if not supports(layout):
            raise ValueError("this layout is read by the Python path")
        self.bracket = layout.bracket
        self.year_first = layout.year_first
        self.twelve = layout.twelve_hour
        self.marks = layout.marks
        self.crlf = layout.crlf
        self.ios = layout.bracket
        self.sep_kind = (
            SEP_BRACKET if layout.separator == "bracket"
            else SEP_DASH if layout.separator == " - " else SEP_COLON
        )
        self.dsep = (<bytes>layout.date_sep)[0]
        self.tsep = (<bytes>layout.time_sep)[0]
        self.mid = layout.mid
        self.order = {"dmy": 0, "mdy": 1, "ymd": 2}[order]
        self.tz = tz
        self.clock = clock
        self.day_offset = day_offset
        self.suspect_search = suspect.search
        self.report_suspects = report_suspects
        self.report_impossible = report_impossible
        self.attachments_of = attachments_of
        self.participants = report.participants
        self.markers = markers
        self.whatsapp, self.message, self.system, self.unknown = kinds
        self.empty = ()
        self.kind_bytes = {kind: str(kind).encode() for kind in set(markers.values()) | {self.message, self.system}}
        self.line = line
        self.offset = offset
        self.items = 0
        self.undecodable = []
        self.current = None
        self.rep_senders, self.rep_texts, self.repeats = [], [], None
        self.rep_len = 0
        self.sender_bytes, self.sender_names = [], []
        self.sender_slot = -1
        for i in range(SENDER_CACHE):
            self.sender_counts[i] = 0
        self.marker_lengths = 0
        for text in markers:
            if len(text.encode()) >= 64:
                raise ValueError("markers are short")
            self.marker_lengths |= 1 << len(text.encode())
        self.digests = digests
        self.entry_digest = entry_digest
        self.last_stamp_len = -1
        self.last_when = None
        self.last_utc_ok = False
        self.last_y = self.last_m = self.last_d = 0
        self.last_day_offset = None

    # --- the header matcher (Layout.header, step by step) -----------------

    cdef Py_ssize_t _tail(self, const unsigned char *s, Py_ssize_t q, Py_ssize_t n,
                          Py_ssize_t *stamp_end) noexcept:
        """AM/PM (12-hour layouts) and the separator after the time; the end
        of the header, or -1."""
        if self.twelve:
            q += _space(s, q, n)
            if q >= n or s[q] not in b"AaPp":
                return -1
            q += 1
            if q < n and s[q] == 46:  # "."
                q += 1
            q += _space(s, q, n)
            if q >= n or s[q] not in b"Mm":
                return -1
            q += 1
            if q < n and s[q] == 46:
                q += 1
        stamp_end[0] = q
        cdef Py_ssize_t sp
        if self.sep_kind == SEP_BRACKET:
            if q >= n or s[q] != 93:  # "]"
                return -1
            sp = _space(s, q + 1, n)
            return q + 1 + sp if sp else -1
        if self.sep_kind == SEP_DASH:
            if q + 3 <= n and s[q] == 32 and s[q + 1] == 45 and s[q + 2] == 32:
                return q + 3
            return -1
        if q + 2 <= n and s[q] == 58 and s[q + 1] == 32:
            return q + 2
        return -1

    cdef Py_ssize_t _header(self, const unsigned char *s, Py_ssize_t i, Py_ssize_t n,
                            Py_ssize_t *stamp_start, Py_ssize_t *stamp_end) noexcept:
        """The end of the header starting at ``i``, or -1 if none does."""
        cdef Py_ssize_t j = i, k, end
        cdef Py_ssize_t mid_len = PyBytes_GET_SIZE(self.mid)
        if self.marks:
            while j + 3 <= n and s[j] == 0xE2 and s[j + 1] == 0x80 and (
                s[j + 2] == 0x8E or s[j + 2] == 0x8F
            ):
                j += 3
        if self.bracket:
            if j >= n or s[j] != 91:  # "["
                return -1
            j += 1
        stamp_start[0] = j
        # The date: day/month/year (a year of 2 to 4 digits, perhaps with a
        # dot after it), or year-month-day.
        if self.year_first:
            j = _sep(s, _number(s, j, n, 4, 4), n, self.dsep)
            j = _sep(s, _number(s, j, n, 1, 2), n, self.dsep)
            j = _number(s, j, n, 1, 2)
        else:
            j = _sep(s, _number(s, j, n, 1, 2), n, self.dsep)
            j = _sep(s, _number(s, j, n, 1, 2), n, self.dsep)
            j = _number(s, j, n, 2, 4)
            if 0 <= j < n and s[j] == 46:
                j += 1
        if j < 0:
            return -1
        # What stands between date and time, as the first lines have it.
        if j + mid_len > n or memcmp(s + j, PyBytes_AS_STRING(self.mid), mid_len) != 0:
            return -1
        j += mid_len
        # The time: hours, minutes, and seconds if the rest fits after them.
        j = _sep(s, _number(s, j, n, 1, 2), n, self.tsep)
        if j < 0 or j + 2 > n or not _digit(s[j]) or not _digit(s[j + 1]):
            return -1
        j += 2
        if j + 3 <= n and s[j] == self.tsep and _digit(s[j + 1]) and _digit(s[j + 2]):
            end = self._tail(s, j + 3, n, stamp_end)
            if end >= 0:
                return end
        return self._tail(s, j, n, stamp_end)

    # --- the timestamp -----------------------------------------------------

    cdef bint _fields(self, const unsigned char *s, Py_ssize_t a, Py_ssize_t b,
                      long *f) noexcept nogil:
        """The date and time of a stamp as year, month, day, hour, minute,
        second; False if impossible (the Python clock then decides)."""
        cdef long runs[6]
        cdef int count = 0
        cdef long value
        cdef Py_ssize_t i = a
        cdef unsigned char half = 0
        while i < b and count < 6:
            if _digit(s[i]):
                value = 0
                while i < b and _digit(s[i]):
                    if value < 100000:
                        value = value * 10 + (s[i] - 48)
                    i += 1
                runs[count] = value
                count += 1
            else:
                i += 1
        if count < 5:
            return False
        if count == 5:
            runs[5] = 0
        if self.twelve:
            i = b - 1
            while i > a and s[i] not in b"AaPp":
                i -= 1
            half = s[i]
        cdef long year, month, day
        if self.order == 2:
            year, month, day = runs[0], runs[1], runs[2]
        elif self.order == 0:
            day, month, year = runs[0], runs[1], runs[2]
        else:
            month, day, year = runs[0], runs[1], runs[2]
        if year < 100:
            year += 2000
        if year < 1 or year > 9999 or month < 1 or month > 12 or day < 1:
            return False
        if day > DAYS_IN_MONTH[month] + (1 if month == 2 and _leap(year) else 0):
            return False
        cdef long hour = runs[3]
        if half:
            if hour > 12:
                return False
            hour = hour % 12 + (12 if half == 80 or half == 112 else 0)  # P p
        if hour > 23 or runs[4] > 59 or runs[5] > 59:
            return False
        f[0], f[1], f[2], f[3], f[4], f[5] = year, month, day, hour, runs[4], runs[5]
        return True

    cdef object _when(self, const unsigned char *s, Py_ssize_t a, Py_ssize_t b):
        """The datetime of the stamp ``s[a:b]``; sets ``last_utc`` when the
        digest may use it. None if the stamp is impossible."""
        cdef Py_ssize_t size = b - a
        if size == self.last_stamp_len and memcmp(s + a, self.last_stamp, size) == 0:
            return self.last_when
        cdef long f[6]
        cdef long y, m, d, z, secs
        when = None
        self.last_utc_ok = False
        if self._fields(s, a, b, f):
            if f[0] != self.last_y or f[1] != self.last_m or f[2] != self.last_d:
                self.last_day_offset = self.day_offset(f[0], f[1], f[2])
                self.last_y, self.last_m, self.last_d = f[0], f[1], f[2]
            if self.last_day_offset is not None:
                when = datetime_new(f[0], f[1], f[2], f[3], f[4], f[5], 0, self.tz)
                secs = f[3] * 3600 + f[4] * 60 + f[5] - <long>self.last_day_offset
                z = _days_from_civil(f[0], f[1], f[2])
                # Offsets are under a day: at most one day either way.
                if secs < 0:
                    secs += 86400
                    z -= 1
                elif secs >= 86400:
                    secs -= 86400
                    z += 1
                _civil_from_days(z, &y, &m, &d)
                if 1 <= y <= 9999:
                    _put(self.last_utc, y, 4)
                    self.last_utc[4] = 45
                    _put(self.last_utc + 5, m, 2)
                    self.last_utc[7] = 45
                    _put(self.last_utc + 8, d, 2)
                    self.last_utc[10] = 84  # T
                    _put(self.last_utc + 11, secs // 3600, 2)
                    self.last_utc[13] = 58
                    _put(self.last_utc + 14, (secs // 60) % 60, 2)
                    self.last_utc[16] = 58
                    _put(self.last_utc + 17, secs % 60, 2)
                    memcpy(self.last_utc + 19, b"+00:00", 6)
                    self.last_utc_ok = True
        if when is None:
            when = self.clock(PyBytes_FromStringAndSize(<const char *>s + a, size))
        if size <= STAMP_MAX:
            memcpy(self.last_stamp, s + a, size)
            self.last_stamp_len = size
        else:
            self.last_stamp_len = -1
        self.last_when = when
        return when

    # --- the digest ----------------------------------------------------------

    cdef object _digest(self, object kind, const unsigned char *who, Py_ssize_t who_len,
                        const unsigned char *body, Py_ssize_t body_len,
                        bint moved, Py_ssize_t occurrence):
        """``entry_digest`` of an entry without recipients, attachments or
        duration, from the bytes its sender and text were decoded from.
        ``moved``: the sender went to the front of the text (iPhone group
        events)."""
        cdef bytes kind_bytes = self.kind_bytes[kind]
        cdef bytes count = str(occurrence).encode() if occurrence else b"0"
        cdef unsigned char md[32]
        cdef char hexed[64]
        cdef int i
        cdef SHA256_CTX c
        ctx = &c
        SHA256_Init(ctx)
        SHA256_Update(ctx, b"whatsapp\x1f", 9)
        SHA256_Update(ctx, PyBytes_AS_STRING(kind_bytes), PyBytes_GET_SIZE(kind_bytes))
        SHA256_Update(ctx, b"\x1f", 1)
        SHA256_Update(ctx, self.last_utc, 25)
        SHA256_Update(ctx, b"\x1f", 1)
        if not moved:
            SHA256_Update(ctx, who, who_len)
        SHA256_Update(ctx, b"\x1f\x1f", 2)  # no recipients
        if moved:
            SHA256_Update(ctx, who, who_len)
            SHA256_Update(ctx, b": ", 2)
        SHA256_Update(ctx, body, body_len)
        SHA256_Update(ctx, TAIL, TAIL_LEN)  # no attachments, duration
        SHA256_Update(ctx, PyBytes_AS_STRING(count), PyBytes_GET_SIZE(count))
        SHA256_Final(md, ctx)
        for i in range(32):
            hexed[2 * i] = HEX[md[i] >> 4]
            hexed[2 * i + 1] = HEX[md[i] & 15]
        return hexed[:64].decode("ascii")

    # --- the scan ----------------------------------------------------------

    def scan(self, bytes buf, Py_ssize_t start, Py_ssize_t end, bint final,
             Py_ssize_t limit):
        """Entries of the messages in ``buf[start:end]``, at most ``limit``.

        ``buf[start:]`` starts with a header, and ``end`` is a line break (or
        the file's end, if ``final``). Returns the entries, where the unread
        part starts, and whether the limit stopped the scan before ``end``.
        Unless ``final``, the last message is held back, since it may go on
        in the next piece.
        """
        cdef const unsigned char *s = <const unsigned char *>PyBytes_AS_STRING(buf)
        cdef Py_ssize_t n = end
        cdef Py_ssize_t h, e, ss = 0, se = 0, ns = 0, ne = 0, nh
        cdef const unsigned char *p
        cdef list out = []
        if n > PyBytes_GET_SIZE(buf) or start < 0 or start > n:
            raise ValueError("start or end outside the buffer")
        if start == n:
            return out, start, False
        h = self._header(s, start, n, &ss, &se)
        if h < 0:
            raise ValueError("the scan does not start at a header")
        while True:
            # The message runs to the first line break followed by a header.
            e = start
            nh = -1
            while True:
                p = <const unsigned char *>memchr(s + e, 10, n - e)
                if p == NULL:
                    e = n
                    break
                e = p - s
                nh = self._header(s, e + 1, n, &ns, &ne)
                if nh >= 0:
                    break
                e += 1
            if e >= n:
                break
            self._message(s, start, h, ss, se, e, out)
            start, h, ss, se = e + 1, nh, ns, ne
            if len(out) >= limit:
                self._flush_counts()
                return out, start, True
        # The last message may go on in the next piece, unless this is the end.
        if not final:
            self._flush_counts()
            return out, start, False
        self._message(s, start, h, ss, se, n, out)
        self._flush_counts()
        return out, n, False

    cdef _message(self, const unsigned char *s, Py_ssize_t start, Py_ssize_t h,
                  Py_ssize_t ss, Py_ssize_t se, Py_ssize_t e, list out):
        """The entry of the message ``s[start:e]``, whose header ends at
        ``h`` and whose stamp is ``s[ss:se]``."""
        cdef Py_ssize_t q = h, who_len = 0, body_start = h, body_len, newlines = 0
        cdef Py_ssize_t at_line = self.line, at_offset = self.offset, i
        cdef const unsigned char *p
        # The sender: "Name: " with no colon or line break in the name.
        while q < e and s[q] != 58 and s[q] != 10:
            q += 1
        if q > h and q + 2 <= e and s[q] == 58 and s[q + 1] == 32:
            who_len = q - h
            body_start = q + 2
        body_len = e - body_start
        self.offset += e - start + 1
        p = <const unsigned char *>memchr(s + body_start, 10, body_len)
        if p != NULL:
            for i in range(body_start, e):
                if s[i] == 10:
                    newlines += 1
            self.line += newlines + 1
            body = PyBytes_FromStringAndSize(<const char *>s + body_start, body_len)
            if self.suspect_search(body) is not None:
                self.report_suspects(body, at_line)
        else:
            self.line += 1
        if self.crlf and body_len and s[body_start + body_len - 1] == 13:
            body_len -= 1
        when = self._when(s, ss, se)
        if when is None:
            self.report_impossible(
                PyBytes_FromStringAndSize(<const char *>s + start, body_start + body_len - start),
                at_line, at_offset, self.line,
            )
            return
        cdef bint utc_ok = self.last_utc_ok
        cdef bint escaped = False
        text = None
        sender = self._sender(s + h, who_len)
        if sender is not None:
            try:
                text = PyUnicode_DecodeUTF8(<const char *>s + body_start, body_len, NULL)
            except UnicodeDecodeError:
                pass
        if text is None:
            text = PyUnicode_DecodeUTF8(<const char *>s + body_start, body_len, "surrogateescape")
            sender = PyUnicode_DecodeUTF8(<const char *>s + h, who_len, "surrogateescape")
            self.undecodable.append(at_line)
            escaped = True
        if when is not self.current and when != self.current:
            self.current = when
            self.rep_len = 0
            self.repeats = None
        occurrence = self._occurrence(sender, text)
        attachments = self.empty
        cdef bint moved = False
        if who_len == 0:
            kind = self.system
        else:
            kind = self.message
            if body_len < 64 and self.marker_lengths >> body_len & 1:
                kind = self.markers.get(text, kind)
            if kind is self.message:
                if masip_memmem(s + body_start, body_len, b"attached", 8) != NULL:
                    attachments = self.attachments_of(text)
                elif self.ios and body_len >= 3 and s[body_start] == 0xE2 and s[
                    body_start + 1
                ] == 0x80 and s[body_start + 2] == 0x8E:
                    kind, text, sender, moved = self.system, sender + ": " + text, "", True
        if self.sender_slot >= 0 and not moved and not escaped:
            self.sender_counts[self.sender_slot] += 1
        else:
            participants = self.participants
            participants[sender] = participants.get(sender, 0) + 1
        self.items += 1
        cdef object line_number = at_line, byte_offset = at_offset, count = occurrence
        cdef PyObject *items[12]
        items[0], items[1], items[2] = <PyObject *>when, <PyObject *>self.whatsapp, <PyObject *>kind
        items[3], items[4], items[5] = <PyObject *>sender, <PyObject *>text, <PyObject *>self.empty
        items[6], items[7], items[8] = <PyObject *>attachments, <PyObject *>self.unknown, <PyObject *>None
        items[9], items[10] = <PyObject *>line_number, <PyObject *>byte_offset
        items[11] = <PyObject *>count
        entry = masip_subtuple(ParsedEntry, items, 12)
        if not self.digests:
            out.append(entry)
        elif utc_ok and not escaped and not attachments:
            out.append((self._digest(
                kind, s + h, who_len, s + body_start, body_len, moved, occurrence
            ), entry))
        else:
            out.append((self.entry_digest(entry), entry))

    cdef object _sender(self, const unsigned char *who, Py_ssize_t size):
        """The sender's name, decoded once for the few names a chat has;
        None if it is not UTF-8."""
        cdef Py_ssize_t i
        cdef bytes raw
        for i in range(len(self.sender_bytes)):
            raw = <bytes>self.sender_bytes[i]
            if PyBytes_GET_SIZE(raw) == size and memcmp(PyBytes_AS_STRING(raw), who, size) == 0:
                self.sender_slot = i
                return self.sender_names[i]
        self.sender_slot = -1
        try:
            name = PyUnicode_DecodeUTF8(<const char *>who, size, NULL)
        except UnicodeDecodeError:
            return None
        if len(self.sender_bytes) >= SENDER_CACHE:
            self._flush_counts()
            del self.sender_bytes[0]
            del self.sender_names[0]
        self.sender_bytes.append(PyBytes_FromStringAndSize(<const char *>who, size))
        self.sender_names.append(name)
        self.sender_slot = len(self.sender_bytes) - 1
        return name

    cdef _flush_counts(self):
        """Add the cached senders' counts to report.participants."""
        cdef Py_ssize_t i
        participants = self.participants
        for i in range(len(self.sender_names)):
            if self.sender_counts[i]:
                name = self.sender_names[i]
                participants[name] = participants.get(name, 0) + self.sender_counts[i]
                self.sender_counts[i] = 0

    cdef Py_ssize_t _occurrence(self, str sender, str text) except -1:
        """How many identical items came before at the current time: a short
        list compared in turn, or a dict once the time has many items."""
        cdef Py_ssize_t i, count = 0
        if self.repeats is not None:
            key = (sender, text)
            count = self.repeats.get(key, 0)
            self.repeats[key] = count + 1
            return count
        texts, senders, used = self.rep_texts, self.rep_senders, self.rep_len
        for i in range(used):
            if texts[i] == text and senders[i] == sender:
                count += 1
        if used < len(texts):
            texts[used] = text
            senders[used] = sender
        else:
            texts.append(text)
            senders.append(sender)
        self.rep_len = used = used + 1
        if used > REPEATS_LIST:
            self.repeats = {}
            for i in range(used):
                key = (senders[i], texts[i])
                self.repeats[key] = self.repeats.get(key, 0) + 1
        return count


def proof_lines(bytes buf, Py_ssize_t start, Py_ssize_t end, bint bracket, bytes dsep,
                int wanted):
    """For the pre-pass, among the lines after the line breaks in
    ``buf[start:end]``: whether one starts with U+200E or U+200F (``wanted``
    bit 1), the first line break before a line whose date could prove day
    first (bit 2: its first field has two digits and is over 12) and the
    first before one that could prove month first (bit 4: its second field
    is), each -1 if none. Stops once it has found what was wanted.
    ``Layout.proof_patterns`` decides; this only finds where to ask it, as a
    match there needs what is checked here."""
    cdef const unsigned char *s = <const unsigned char *>PyBytes_AS_STRING(buf)
    cdef Py_ssize_t n = end, i = start, j, k, first, second
    cdef Py_ssize_t day_first = -1, month_first = -1
    cdef bint marks = False
    cdef unsigned char sep = dsep[0]
    cdef const unsigned char *p
    if n > PyBytes_GET_SIZE(buf) or start < 0:
        raise ValueError("start or end outside the buffer")
    while i < n:
        p = <const unsigned char *>memchr(s + i, 10, n - i)
        if p == NULL:
            break
        i = p - s
        j = i + 1
        if j + 3 <= n and s[j] == 0xE2 and s[j + 1] == 0x80 and (
            s[j + 2] == 0x8E or s[j + 2] == 0x8F
        ):
            marks = True
            while j + 3 <= n and s[j] == 0xE2 and s[j + 1] == 0x80 and (
                s[j + 2] == 0x8E or s[j + 2] == 0x8F
            ):
                j += 3
        if bracket and j < n and s[j] == 91:
            j += 1
        k = _digits(s, j, n)
        if 1 <= k <= 2 and j + k < n and s[j + k] == sep:
            first = _field(s, j, k)
            j += k + 1
            k = _digits(s, j, n)
            if 1 <= k <= 2 and j + k < n and s[j + k] == sep:
                second = _field(s, j, k)
                if day_first < 0 and first >= 13 and wanted & 2:
                    day_first = i
                if month_first < 0 and second >= 13 and wanted & 4:
                    month_first = i
        if (marks or not wanted & 1) and (day_first >= 0 or not wanted & 2) and (
            month_first >= 0 or not wanted & 4
        ):
            break
        i += 1
    return marks, day_first, month_first


cdef inline long _field(const unsigned char *s, Py_ssize_t j, Py_ssize_t k) noexcept nogil:
    """A date field of ``k`` digits; only two-digit ones can prove an order."""
    if k != 2:
        return 0
    return (s[j] - 48) * 10 + (s[j + 1] - 48)


def supports(layout) -> bool:
    """Whether the compiled matcher reads this layout exactly as the regular
    expression does: what stands between date and time must be there, and
    must not start with a digit or a dot (else the pattern's optional dot
    and digit counts could split the digits another way)."""
    mid = layout.mid
    return bool(mid) and not any(48 <= c <= 57 for c in mid) and mid[:1] != b"."
