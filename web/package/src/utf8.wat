;; UTF-8 encoding of a JavaScript string straight into the tagger's wasm memory: what
;; `TextEncoder.encodeInto(string, view)` does, through the JS String Builtins
;; (`wasm:js-string`, Chrome 130, Firefox 134). Chromium's `encodeInto` goes a character at a
;; time through Blink (about 5 ns a UTF-16 code unit here, a third of tagging's time in
;; chromium); here one builtin call copies the string's code units into a wasm GC array and
;; this loop encodes them. `utf8.js` holds the assembled bytes (`npm run utf8-wasm` in
;; web/package writes them from this file; a test checks that they match).
(module
  (type $units (array (mut i16)))
  (import "wasm:js-string" "intoCharCodeArray"
    (func $intoCharCodeArray (param externref (ref null $units) i32) (result i32)))
  (import "wasm:js-string" "length" (func $length (param externref) (result i32)))
  (import "quipu" "memory" (memory 0))

  ;; The bytes the last `encodeInto` wrote.
  (global $written (export "written") (mut i32) (i32.const 0))

  ;; Encodes as many whole characters of `string` as fit into `capacity` bytes at `ptr`, as
  ;; `encodeInto` does (a lone surrogate becomes U+FFFD, three bytes), and returns how many
  ;; UTF-16 code units it read; `written` says how many bytes it wrote.
  (func (export "encodeInto") (param $string externref) (param $ptr i32) (param $capacity i32)
    (result i32)
    (local $units (ref null $units))
    (local $n i32) (local $i i32) (local $w i32) (local $end i32) (local $c i32) (local $d i32)
    (local.set $n (call $length (local.get $string)))
    (local.set $units (array.new_default $units (local.get $n)))
    (drop (call $intoCharCodeArray (local.get $string) (local.get $units) (i32.const 0)))
    (local.set $w (local.get $ptr))
    (local.set $end (i32.add (local.get $ptr) (local.get $capacity)))
    (block $full
      (loop $next
        (br_if $full (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $c (array.get_u $units (local.get $units) (local.get $i)))
        ;; ASCII: one byte.
        (if (i32.lt_u (local.get $c) (i32.const 0x80))
          (then
            (br_if $full (i32.eq (local.get $w) (local.get $end)))
            (i32.store8 (local.get $w) (local.get $c))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        ;; Below U+0800: two bytes.
        (if (i32.lt_u (local.get $c) (i32.const 0x800))
          (then
            (br_if $full (i32.lt_u (i32.sub (local.get $end) (local.get $w)) (i32.const 2)))
            (i32.store8 (local.get $w)
              (i32.or (i32.const 0xC0) (i32.shr_u (local.get $c) (i32.const 6))))
            (i32.store8 offset=1 (local.get $w)
              (i32.or (i32.const 0x80) (i32.and (local.get $c) (i32.const 0x3F))))
            (local.set $w (i32.add (local.get $w) (i32.const 2)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        ;; A high surrogate and a low one after it: four bytes.
        (if (i32.and
              (i32.eq (i32.and (local.get $c) (i32.const 0xFC00)) (i32.const 0xD800))
              (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
          (then
            (local.set $d
              (array.get_u $units (local.get $units) (i32.add (local.get $i) (i32.const 1))))
            (if (i32.eq (i32.and (local.get $d) (i32.const 0xFC00)) (i32.const 0xDC00))
              (then
                (br_if $full (i32.lt_u (i32.sub (local.get $end) (local.get $w)) (i32.const 4)))
                ;; The code point, less 0x10000.
                (local.set $c
                  (i32.or
                    (i32.shl (i32.and (local.get $c) (i32.const 0x3FF)) (i32.const 10))
                    (i32.and (local.get $d) (i32.const 0x3FF))))
                (i32.store8 (local.get $w)
                  (i32.or (i32.const 0xF0)
                    (i32.shr_u (i32.add (local.get $c) (i32.const 0x10000)) (i32.const 18))))
                (i32.store8 offset=1 (local.get $w)
                  (i32.or (i32.const 0x80)
                    (i32.and (i32.shr_u (i32.add (local.get $c) (i32.const 0x10000)) (i32.const 12))
                      (i32.const 0x3F))))
                (i32.store8 offset=2 (local.get $w)
                  (i32.or (i32.const 0x80)
                    (i32.and (i32.shr_u (local.get $c) (i32.const 6)) (i32.const 0x3F))))
                (i32.store8 offset=3 (local.get $w)
                  (i32.or (i32.const 0x80) (i32.and (local.get $c) (i32.const 0x3F))))
                (local.set $w (i32.add (local.get $w) (i32.const 4)))
                (local.set $i (i32.add (local.get $i) (i32.const 2)))
                (br $next)))))
        ;; Any other surrogate is alone: U+FFFD.
        (if (i32.eq (i32.and (local.get $c) (i32.const 0xF800)) (i32.const 0xD800))
          (then (local.set $c (i32.const 0xFFFD))))
        ;; Three bytes.
        (br_if $full (i32.lt_u (i32.sub (local.get $end) (local.get $w)) (i32.const 3)))
        (i32.store8 (local.get $w)
          (i32.or (i32.const 0xE0) (i32.shr_u (local.get $c) (i32.const 12))))
        (i32.store8 offset=1 (local.get $w)
          (i32.or (i32.const 0x80) (i32.and (i32.shr_u (local.get $c) (i32.const 6)) (i32.const 0x3F))))
        (i32.store8 offset=2 (local.get $w)
          (i32.or (i32.const 0x80) (i32.and (local.get $c) (i32.const 0x3F))))
        (local.set $w (i32.add (local.get $w) (i32.const 3)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (global.set $written (i32.sub (local.get $w) (local.get $ptr)))
    (local.get $i)))
