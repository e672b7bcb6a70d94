# Documents (docs/documents.md): every template rendered, signed and read back by
# poppler's tools as any PDF reader would — pdftoppm draws it, pdftotext finds its text
# with the Kazakh letters intact, pdfsig finds each signature valid — and `qyzmet verify`
# (contract.md) agrees; one changed byte makes both report it. Run by tests/cli/run.

keys="$TMP/keys"
"$QZ" pki make --dir "$keys" --unit mp-astana --name "Көші-қон полициясы басқармасы" >/dev/null 2>"$TMP/pki.err"
_result "pki make writes a CA and a unit key" \
    "$([ -s "$keys/ca.pem" ] && [ -s "$keys/mp-astana.key" ] && [ -s "$keys/mp-astana.pem" ] && echo 1)" \
    "  $(cat "$TMP/pki.err")"
"$QZ" pki make --dir "$keys" --unit moj --name "Әділет министрлігі" >/dev/null 2>&1
_result "a second unit keeps the CA" "$(openssl verify -CAfile "$keys/ca.pem" "$keys/mp-astana.pem" "$keys/moj.pem" >/dev/null 2>&1 && echo 1)" ""

# Every text field of a template's sample is given the nine letters Kazakh adds to the
# Cyrillic alphabet (fields with choices keep theirs): they must come back from pdftotext.
letters='Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі'
for tpl in "$QZ_CATALOG"/documents/*.json; do
    kind=$(basename "$tpl" .json)
    set -- $(/usr/bin/python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
for k in t["sample"]:
    if k not in t.get("choices", {}):
        print(k + "=" + sys.argv[2].replace(" ", "_"))' "$tpl" "$letters")
    cosign=""
    [ "$kind" = address-certificate ] && cosign="--cosign moj"
    "$QZ" document sample "$kind" --keys "$keys" --unit mp-astana $cosign --out "$TMP/$kind.pdf" \
        --number "QZ-TEST-$kind" --lang kk "$@" 2>"$TMP/err"
    _result "$kind: rendered and signed" "$([ -s "$TMP/$kind.pdf" ] && echo 1)" "  $(cat "$TMP/err")"
    pdftoppm -png -r 40 "$TMP/$kind.pdf" "$TMP/$kind" 2>"$TMP/err"
    _result "$kind: pdftoppm draws it" "$([ -s "$TMP/$kind-1.png" ] && echo 1)" "  $(cat "$TMP/err")"
    text=$(pdftotext "$TMP/$kind.pdf" - 2>/dev/null)
    _result "$kind: pdftotext finds ә ғ қ ң ө ұ ү һ і" \
        "$(printf '%s' "$text" | tr -d ' _\n' | grep -q "$(printf '%s' "$letters" | tr -d ' ')" && echo 1)" "  text: $text"
    want=1; [ "$kind" = address-certificate ] && want=2
    sig=$(pdfsig "$TMP/$kind.pdf" 2>&1)
    _result "$kind: pdfsig finds $want valid signature(s)" \
        "$([ "$(printf '%s\n' "$sig" | grep -c 'Signature is Valid')" = "$want" ] && echo 1)" "  $sig"
    check "$kind: qyzmet verify says valid, the signers and the document" 0 \
        "$(if [ $want = 2 ]; then
               echo '{"valid":true,"signers":[{"unit":"mp-astana","name":"Көші-қон полициясы басқармасы"},{"unit":"moj","name":"Әділет министрлігі"}],"document":{"kind":"'$kind'","number":"QZ-TEST-'$kind'"}}'
           else
               echo '{"valid":true,"signers":[{"unit":"mp-astana","name":"Көші-қон полициясы басқармасы"}],"document":{"kind":"'$kind'","number":"QZ-TEST-'$kind'"}}'
           fi)" -- verify "$TMP/$kind.pdf" --trust "$keys/ca.pem"
done

# The certificate says what the convictions register says, in both languages.
"$QZ" document sample certificate --keys "$keys" --unit mp-astana --out "$TMP/has.pdf" record=has 2>/dev/null
text=$(pdftotext "$TMP/has.pdf" - 2>/dev/null | tr '\n' ' ')
_result "a certificate with a record says so in Kazakh and Russian" \
    "$(case "$text" in *"соттылығы бар"*"судимость имеет"*) echo 1 ;; esac)" "  $text"

# One changed byte: in the page's content (covered by the digest), in the signature value
# (the last bytes of /Contents), in the signer's certificate inside the signature.
/usr/bin/python3 - "$TMP/certificate.pdf" "$TMP" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
start = d.rindex(b"/Contents <") + len(b"/Contents <")
end = d.index(b">", start)
def flip(at, name):
    t = bytearray(d)
    c = chr(t[at])
    t[at] = ord(("B" if c == "A" else "A") if c in "0123456789ABCDEF" else chr(t[at] ^ 1))
    open(sys.argv[2] + "/" + name + ".pdf", "wb").write(t)
flip(len(d) // 3, "t-content")
flip(end - 3, "t-signature")
flip(start + 2 * 200, "t-certificate")
flip(len(d) - 30, "t-trailer")
PY
for t in t-content t-signature t-certificate t-trailer; do
    check_match "$t: qyzmet verify reports the change" 1 '"valid":false' -- verify "$TMP/$t.pdf" --trust "$keys/ca.pem"
done
for t in t-content t-signature t-trailer; do
    _result "$t: pdfsig finds the signature invalid" "$(pdfsig "$TMP/$t.pdf" 2>&1 | grep -q 'Signature is Valid' || echo 1)" ""
done
# A changed byte in the certificate leaves the signature over the document intact (its key
# is elsewhere in the certificate); pdfsig, which does not know our CA, reports it in its
# certificate's validation instead ("has expired", "issuer is unknown", … but not the same).
cert_line() { pdfsig "$1" 2>&1 | grep 'Certificate Validation'; }
_result "t-certificate: pdfsig's certificate validation changes"     "$([ "$(cert_line "$TMP/t-certificate.pdf")" != "$(cert_line "$TMP/certificate.pdf")" ] && echo 1)"     "  $(cert_line "$TMP/t-certificate.pdf")"

# A document signed by a CA the verifier does not trust is not valid.
"$QZ" pki make --dir "$TMP/other" --unit mp-astana --name "Бөгде" >/dev/null 2>&1
check_match "another CA's document is not trusted" 1 '"reason":"certificate_untrusted"' -- \
    verify "$TMP/certificate.pdf" --trust "$TMP/other/ca.pem"
printf 'not a pdf' > "$TMP/x.pdf"
check_match "a file that is no PDF" 1 '"reason":"not_pdf"' -- verify "$TMP/x.pdf" --trust "$keys/ca.pem"
check_err "verify without a file" 2 "usage" -- verify
