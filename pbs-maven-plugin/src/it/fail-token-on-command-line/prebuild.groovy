// The mirror takes the Basic credentials of settings.xml, but -Dpbs.token (a wrong token here)
// takes precedence: the build fails with a 401 that names -Dpbs.token, and -X never shows it.
def basic = "Basic " + "ci-user:Basic-Secret-7f3a".bytes.encodeBase64().toString()
return evaluate(new File(basedir, "../../../src/it/common/credentials.groovy"))(
    [basicMirror: basic], ["-Dpbs.token=Wrong-Token-5e1d"])
