/* The page's bootstrap, the one script written into it as it is: a small inflater for raw DEFLATE (RFC 1951) and
 * the base 85 decoder. Everything else arrives deflated (atlas/deflated.py): Leaflet (script and style sheet)
 * and the atlas runtime (atlas.run), the page's text and the layers' data (atlas.unpack), each inflated once while the page loads,
 * synchronously. Our own code rather than DecompressionStream, which is asynchronous and missing from older
 * Safari and Firefox.
 * atlas.inflate(bytes, size) -> Uint8Array of exactly `size` bytes, or throws on a damaged or truncated input.
 */
(function () {
  "use strict";

  var atlas = window.atlas = window.atlas || {};


  // RFC 1951, 3.2.5: base values and extra bits of the length and distance codes; 3.2.7: code-length order.
  var LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
    131, 163, 195, 227, 258];
  var LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
    13, 13];
  var CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  /* A canonical Huffman code from its code lengths: how many codes of each length and the symbols in code order
     (for walking the code a bit at a time), plus a table that decodes codes of up to FAST bits in one look-up. */
  var FAST = 9;
  function huffman(lengths) {
    var count = new Uint16Array(16), offset = new Uint16Array(16), symbol = new Uint16Array(lengths.length);
    var fast = new Uint16Array(1 << FAST), i, len;
    for (i = 0; i < lengths.length; i += 1) { count[lengths[i]] += 1; }
    for (i = 1; i < 15; i += 1) { offset[i + 1] = offset[i] + count[i]; }
    for (i = 0; i < lengths.length; i += 1) {
      if (lengths[i]) { symbol[offset[lengths[i]]] = i; offset[lengths[i]] += 1; }
    }
    // Codes are assigned in order of length, then symbol; the stream holds them most significant bit first, so
    // a code's table slots are its bits reversed, with every value of the bits that follow it.
    var code = 0, index = 0;
    for (len = 1; len <= FAST; len += 1) {
      for (i = 0; i < count[len]; i += 1) {
        var reversed = 0;
        for (var b = 0; b < len; b += 1) { reversed |= ((code >> b) & 1) << (len - 1 - b); }
        for (var slot = reversed; slot < (1 << FAST); slot += 1 << len) { fast[slot] = symbol[index] << 4 | len; }
        code += 1;
        index += 1;
      }
      code <<= 1;
    }
    return { count: count, symbol: symbol, fast: fast };
  }

  var FIXED = (function () {
    var lit = [], dist = [], i;
    for (i = 0; i < 288; i += 1) { lit.push(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8); }
    for (i = 0; i < 30; i += 1) { dist.push(5); }
    return { lit: huffman(lit), dist: huffman(dist) };
  })();

  atlas.inflate = function (input, size) {
    var out = new Uint8Array(size), written = 0, pos = 0, bitBuf = 0, bitCount = 0;

    function fail(why) { throw new Error("the page's data is damaged (" + why + ")"); }
    function bits(n) {  // the next n bits, least significant first
      var value = bitBuf;
      while (bitCount < n) {
        if (pos >= input.length) { fail("it ends early"); }
        value |= input[pos] << bitCount;
        pos += 1;
        bitCount += 8;
      }
      bitBuf = value >>> n;
      bitCount -= n;
      return value & ((1 << n) - 1);
    }
    function decode(code) {  // one symbol: by table when the code is short, else a bit at a time
      while (bitCount < FAST && pos < input.length) {
        bitBuf |= input[pos] << bitCount;
        pos += 1;
        bitCount += 8;
      }
      var entry = code.fast[bitBuf & ((1 << FAST) - 1)];
      if (entry && (entry & 15) <= bitCount) {
        bitBuf >>>= entry & 15;
        bitCount -= entry & 15;
        return entry >> 4;
      }
      var value = 0, first = 0, index = 0, count = code.count;
      for (var len = 1; len < 16; len += 1) {
        if (bitCount === 0) {
          if (pos >= input.length) { fail("it ends early"); }
          bitBuf = input[pos];
          pos += 1;
          bitCount = 8;
        }
        value |= bitBuf & 1;
        bitBuf >>>= 1;
        bitCount -= 1;
        var n = count[len];
        if (value - n < first) { return code.symbol[index + value - first]; }
        index += n;
        first = (first + n) << 1;
        value <<= 1;
      }
      return fail("a code that is not in its table");
    }
    function stored() {
      pos -= bitCount >> 3;  // give back the whole bytes read ahead; the rest of the current byte is padding
      bitBuf = 0;
      bitCount = 0;
      if (pos + 4 > input.length) { fail("it ends early"); }
      var len = input[pos] | input[pos + 1] << 8, check = input[pos + 2] | input[pos + 3] << 8;
      pos += 4;
      if ((len ^ 0xffff) !== check) { fail("a stored block's length"); }
      if (pos + len > input.length || written + len > size) { fail("a stored block's length"); }
      out.set(input.subarray(pos, pos + len), written);
      pos += len;
      written += len;
    }
    function dynamic() {
      var nLit = bits(5) + 257, nDist = bits(5) + 1, nCode = bits(4) + 4, i;
      var codeLengths = new Uint8Array(19);
      for (i = 0; i < nCode; i += 1) { codeLengths[CODE_LENGTH_ORDER[i]] = bits(3); }
      var lengthCode = huffman(codeLengths), lengths = new Uint8Array(nLit + nDist);
      for (i = 0; i < nLit + nDist;) {
        var sym = decode(lengthCode), repeat, value = 0;
        if (sym < 16) { lengths[i] = sym; i += 1; continue; }
        if (sym === 16) {
          if (i === 0) { fail("a repeat with nothing before it"); }
          value = lengths[i - 1];
          repeat = 3 + bits(2);
        } else {
          repeat = sym === 17 ? 3 + bits(3) : 11 + bits(7);
        }
        if (i + repeat > nLit + nDist) { fail("too many code lengths"); }
        while (repeat) { lengths[i] = value; i += 1; repeat -= 1; }
      }
      return { lit: huffman(lengths.subarray(0, nLit)), dist: huffman(lengths.subarray(nLit)) };
    }
    function codes(tables) {
      for (;;) {
        var sym = decode(tables.lit);
        if (sym < 256) {
          if (written >= size) { fail("more text than announced"); }
          out[written] = sym;
          written += 1;
        } else if (sym === 256) {
          return;
        } else {
          sym -= 257;
          if (sym >= 29) { fail("a length code out of range"); }
          var len = LENGTH_BASE[sym] + bits(LENGTH_EXTRA[sym]);
          var d = decode(tables.dist);
          if (d >= 30) { fail("a distance code out of range"); }
          var dist = DIST_BASE[d] + bits(DIST_EXTRA[d]);
          if (dist > written || written + len > size) { fail("a copy out of range"); }
          for (var k = 0; k < len; k += 1) { out[written] = out[written - dist]; written += 1; }
        }
      }
    }

    var last;
    do {
      last = bits(1);
      var type = bits(2);
      if (type === 0) { stored(); } else if (type === 1) { codes(FIXED); } else if (type === 2) {
        codes(dynamic());
      } else { fail("a block of unknown type"); }
    } while (!last);
    if (written !== size) { fail(written + " bytes instead of " + size); }
    return out;
  };

  /* What the build sends deflated (atlas/deflated.py): the config, each GeoJSON layer's data and the scripts,
     as deflated UTF-8 text (JSON, or a script) in base 85 (four bytes in five characters, most significant digit
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
    return new TextDecoder("utf-8").decode(atlas.inflate(decode85(text), size));
  }

  atlas.unpack = function (text, size) { return JSON.parse(unpackText(text, size)); };

  /* A script or style sheet sent deflated (Leaflet's and the atlas runtime: atlas/assets.py), put in place now,
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
