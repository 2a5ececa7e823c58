// Two mirrors on loopback: one demanding Basic authentication (the <server> pbs-mirror, the
// default id), one a bearer token (the <server> pbs-token, chosen with serverId).
def basic = "Basic " + "ci-user:Basic-Secret-7f3a".bytes.encodeBase64().toString()
def bearer = "Bearer Bearer-Token-91c2"
return evaluate(new File(basedir, "../../../src/it/common/credentials.groovy"))(
    [basicMirror: basic, bearerMirror: bearer], [])
