/* The page's bootstrap, the one script written into it as it is: an LZMA decoder and the base 85 decoder.
 * Everything else arrives packed (atlas/packed.py): Leaflet (script and style sheet) and the atlas runtime
 * (atlas.run), the page's text and the layers' data (atlas.unpack), each decoded once while the page loads,
 * synchronously. Our own decoder, written from the format's description (the "LZMA specification" that comes with
 * the LZMA SDK and xz), because no browser decodes LZMA, and DecompressionStream (DEFLATE only) is asynchronous and
 * missing from older Safari and Firefox.
 * atlas.unlzma(bytes, size) -> Uint8Array of exactly `size` bytes, or throws on a damaged or truncated input.
 */
(function () {
  "use strict";

  var atlas = window.atlas = window.atlas || {};

  function fail(why) { throw new Error("the page's data is damaged (" + why + ")"); }

  /* Where each group of adaptive bit probabilities starts in one Uint16Array (the sizes are the format's: 12
     states, at most 16 position states, 4 length-to-distance states, 64 distance slots, ...). */
  var IS_MATCH = 0, IS_REP = 192, IS_REP_G0 = 204, IS_REP_G1 = 216, IS_REP_G2 = 228, IS_REP0_LONG = 240;
  var DIST_SLOT = 432, DIST_SPECIAL = 688, ALIGN = 803, MATCH_LEN = 819, REP_LEN = 1333, LITERAL = 1847;
  // within a length coder: two choice bits, 3-bit trees for lengths 2-9 and 10-17 per position state, an 8-bit tree
  var LOW = 2, MID = 130, HIGH = 258;

  /* The stream as packed.py writes it: one properties byte, (pb * 5 + lp) * 9 + lc, then raw LZMA1 (no header;
     the encoder ends it with the end marker). The dictionary size is not needed: the whole text is decoded into
     one buffer, and a match may reach back to its start. */
  atlas.unlzma = function (input, size) {
    if (input.length < 6) { fail("it ends early"); }
    var props = input[0];
    if (props >= 225) { fail("its properties byte"); }
    var lc = props % 9, lp = Math.floor(props / 9) % 5, pb = Math.floor(props / 45);
    var posMask = (1 << pb) - 1, litPosMask = (1 << lp) - 1;
    var probs = new Uint16Array(LITERAL + (0x300 << (lc + lp))).fill(1024);  // every bit starts at 1/2
    var out = new Uint8Array(size), pos = 0;

    /* The range decoder. Its range and code are unsigned 32-bit values, kept in a Uint32Array rather than in
       variables: the functions below change them, and V8 keeps a number over 2^30 in a variable that closures
       share boxed, as a heap object (road-to-war's text took 20% longer in Node, 25% in Chromium, that way). */
    if (input[1] !== 0) { fail("its first byte"); }
    var rc = new Uint32Array(2), ip = 6;  // rc[0]: range, rc[1]: code
    rc[0] = 0xFFFFFFFF;
    rc[1] = input[2] << 24 | input[3] << 16 | input[4] << 8 | input[5];
    if (rc[1] === rc[0]) { fail("its first bytes"); }

    function store(range, code) {  // keep the range at least 2^24 by shifting in the next byte of the stream
      if (range < 16777216) {
        if (ip >= input.length) { fail("it ends early"); }
        range = range * 256;
        code = code * 256 + input[ip];
        ip += 1;
      }
      rc[0] = range;
      rc[1] = code;
    }
    function bit(i) {  // one bit coded with probability probs[i] / 2048 of a 0, which then adapts towards it
      var range = rc[0], code = rc[1], p = probs[i], bound = (range >>> 11) * p;
      if (code < bound) {
        probs[i] = p + ((2048 - p) >> 5);
        store(bound, code);
        return 0;
      }
      probs[i] = p - (p >> 5);
      store(range - bound, code - bound);
      return 1;
    }
    function tree(base, bits) {  // a value of `bits` bits, most significant first, one probability per tree node
      var m = 1;
      for (var k = 0; k < bits; k += 1) { m = (m << 1) | bit(base + m); }
      return m - (1 << bits);
    }
    function reverse(base, bits) {  // the same, least significant bit first
      var m = 1, value = 0;
      for (var k = 0; k < bits; k += 1) {
        var b = bit(base + m);
        m = (m << 1) | b;
        value |= b << k;
      }
      return value;
    }
    function direct(bits) {  // bits of even probability, most significant first
      var value = 0;
      for (var k = 0; k < bits; k += 1) {
        var range = rc[0] >>> 1, code = rc[1], b = code >= range ? 1 : 0;
        value = (value << 1) | b;
        store(range, b ? code - range : code);
      }
      return value;
    }
    function length(base, posState) {  // a match length less 2: 0-7, 8-15 or 16-271
      if (!bit(base)) { return tree(base + LOW + (posState << 3), 3); }
      if (!bit(base + 1)) { return 8 + tree(base + MID + (posState << 3), 3); }
      return 16 + tree(base + HIGH, 8);
    }
    function distance(len) {  // a match distance less 1; its slot's coder depends on the length (0, 1, 2, 3+)
      var slot = tree(DIST_SLOT + ((len < 3 ? len : 3) << 6), 6);
      if (slot < 4) { return slot; }
      var bits = (slot >> 1) - 1;
      if (slot < 14) {
        var dist = (2 | (slot & 1)) << bits;
        return dist + reverse(DIST_SPECIAL + dist - slot, bits);
      }
      // a product, not a shift: slots 62 and 63 (the end marker) reach past 2^31
      return (2 | (slot & 1)) * (1 << bits) + direct(bits - 4) * 16 + reverse(ALIGN, 4);
    }

    // state 0-6: the last thing decoded was a literal (7+ after a match); rep0-rep3: the last four distances
    var state = 0, rep0 = 0, rep1 = 0, rep2 = 0, rep3 = 0, len, k;
    for (;;) {
      var posState = pos & posMask;
      if (!bit(IS_MATCH + (state << 4) + posState)) {
        // a literal byte, coded by the previous byte's high bits and, after a match, by the byte at rep0, bit by
        // bit until they differ
        if (pos >= size) { fail("more text than announced"); }
        var prev = pos > 0 ? out[pos - 1] : 0;
        var literal = LITERAL + 0x300 * (((pos & litPosMask) << lc) + (prev >> (8 - lc)));
        var symbol = 1;
        if (state >= 7) {
          var match = out[pos - rep0 - 1];
          while (symbol < 0x100) {
            var matchBit = (match >> 7) & 1;
            match <<= 1;
            var b = bit(literal + ((1 + matchBit) << 8) + symbol);
            symbol = (symbol << 1) | b;
            if (b !== matchBit) { break; }
          }
        }
        while (symbol < 0x100) { symbol = (symbol << 1) | bit(literal + symbol); }
        out[pos] = symbol - 0x100;
        pos += 1;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      if (bit(IS_REP + state)) {  // a repeat of one of the last four distances
        if (pos === 0) { fail("a repeat before any text"); }
        if (!bit(IS_REP_G0 + state)) {
          if (!bit(IS_REP0_LONG + (state << 4) + posState)) {  // one byte from rep0
            if (pos >= size) { fail("more text than announced"); }
            if (rep0 >= pos) { fail("a copy from before the start"); }
            state = state < 7 ? 9 : 11;
            out[pos] = out[pos - rep0 - 1];
            pos += 1;
            continue;
          }
        } else {
          var dist;
          if (!bit(IS_REP_G1 + state)) {
            dist = rep1;
          } else {
            if (!bit(IS_REP_G2 + state)) { dist = rep2; } else { dist = rep3; rep3 = rep2; }
            rep2 = rep1;
          }
          rep1 = rep0;
          rep0 = dist;
        }
        len = length(REP_LEN, posState);
        state = state < 7 ? 8 : 11;
      } else {  // a match with a new distance
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        len = length(MATCH_LEN, posState);
        state = state < 7 ? 7 : 10;
        rep0 = distance(len);
        if (rep0 === 0xFFFFFFFF) { break; }  // the end marker
      }
      if (rep0 >= pos) { fail("a copy from before the start"); }
      len += 2;
      if (pos + len > size) { fail("more text than announced"); }
      for (k = 0; k < len; k += 1) { out[pos] = out[pos - rep0 - 1]; pos += 1; }
    }
    // a whole stream leaves the range decoder at 0 with every byte read
    if (rc[1] !== 0 || ip !== input.length) { fail("bytes after its end"); }
    if (pos !== size) { fail(pos + " bytes instead of " + size); }
    return out;
  };

  /* What the build sends packed (atlas/packed.py): the config, each GeoJSON layer's data and the scripts, as
     LZMA-compressed UTF-8 text (JSON, or a script) in base 85 (four bytes in five characters, most significant digit
     first; a final group of n bytes in n + 1 characters), and the text's length in bytes. */
  var BASE85 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%()*+,-./:;=?@[]^_|~";
  var BASE85_VALUE = new Int8Array(128).fill(-1);
  for (var b85 = 0; b85 < BASE85.length; b85 += 1) { BASE85_VALUE[BASE85.charCodeAt(b85)] = b85; }

  function decode85(text) {
    var whole = Math.floor(text.length / 5), tail = text.length % 5;
    if (tail === 1) { throw new Error("the page's data is damaged (base 85 length)"); }
    var bytes = new Uint8Array(whole * 4 + (tail ? tail - 1 : 0));
    for (var g = 0; g * 5 < text.length; g += 1) {
      var word = 0;
      for (var k = 0; k < 5; k += 1) {
        var at = g * 5 + k;  // a short final group is padded with the highest digit, as base64.b85decode does
        var code = at < text.length ? text.charCodeAt(at) : 126;
        var digit = code < 128 ? BASE85_VALUE[code] : -1;
        if (digit < 0) { throw new Error("the page's data is damaged (base 85 character)"); }
        word = word * 85 + digit;
      }
      if (word > 0xFFFFFFFF) { throw new Error("the page's data is damaged (base 85 value)"); }
      for (var j = 0; j < 4 && g * 4 + j < bytes.length; j += 1) {
        bytes[g * 4 + j] = (word >>> (24 - 8 * j)) & 255;
      }
    }
    return bytes;
  }

  function unpackText(text, size) {
    return new TextDecoder("utf-8").decode(atlas.unlzma(decode85(text), size));
  }

  atlas.unpack = function (text, size) { return JSON.parse(unpackText(text, size)); };

  /* A script or style sheet sent packed (Leaflet's and the atlas runtime: atlas/assets.py), put in place now,
     before the parser reads on. An inline <script> added to the document runs as soon as it is added, so the
     scripts after this one find Leaflet and the runtime in place, as if they had been written into the page; and
     a page whose Content Security Policy allows its own inline scripts ('unsafe-inline') allows this one too,
     where eval would need 'unsafe-eval'. The sourceURL names it in the browser's tools and profiles. The style
     sheets (name.css: Leaflet's, then atlas.css) go first in the head, in the order they are run, so that a later
     one overrides an earlier one where they meet, as when they were written into the page in that order. */
  var lastStyle = null;
  atlas.run = function (name, text, size) {
    var head = document.head || document.documentElement;
    if (/\.css$/.test(name)) {
      var style = document.createElement("style");
      style.textContent = unpackText(text, size);
      head.insertBefore(style, lastStyle ? lastStyle.nextSibling : head.firstChild);
      lastStyle = style;
      return;
    }
    var script = document.createElement("script");
    script.text = unpackText(text, size) + "\n//# sourceURL=" + name;
    head.appendChild(script);
  };
})();
