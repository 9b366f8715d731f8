use super::*;

/// A deterministic string of `n` characters of `alphabet` (xorshift), so vectors look random
/// without being anyone's secret.
pub(crate) fn random(alphabet: &str, n: usize, seed: u64) -> String {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            alphabet[(state % alphabet.len() as u64) as usize]
        })
        .collect()
}

const ALNUM: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX: &str = "0123456789abcdef";
const URLSAFE: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";

fn ids(text: &str) -> Vec<&'static str> {
    scan(text, Syntax::Code).into_iter().map(|s| s.id).collect()
}

/// One token of each format, as its issuer writes it.
pub(crate) fn vectors() -> Vec<(&'static str, String)> {
    use base64::Engine as _;
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut macaroon = vec![2, 1, 8];
    macaroon.extend(b"pypi.org");
    macaroon.extend([2, 32]);
    macaroon.extend(random(HEX, 32, 7).as_bytes());
    macaroon.extend([0, 6, 32]);
    macaroon.extend(random(HEX, 32, 8).as_bytes());
    let grafana_body = format!("glsa_{}", random(ALNUM, 32, 9));
    let age = {
        // A valid bech32 string of 58 data characters with the hrp `age-secret-key-`.
        let data: Vec<u8> = (0..52).map(|i| (i * 7 % 32) as u8).collect();
        bech32_encode("age-secret-key-", &data).to_ascii_uppercase()
    };
    vec![
        (
            "aws-access-key-id",
            format!("AKIA{}", random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 1)),
        ),
        (
            "aws-secret-access-key",
            format!(
                "aws_secret_access_key = {}",
                random(&format!("{ALNUM}/+"), 40, 2)
            ),
        ),
        ("gcp-api-key", format!("AIza{}", random(URLSAFE, 35, 3))),
        (
            "gcp-oauth-client-secret",
            format!("GOCSPX-{}", random(URLSAFE, 28, 4)),
        ),
        (
            "azure-storage-key",
            format!(
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={};EndpointSuffix=core.windows.net",
                b64.encode(random(ALNUM, 64, 5))
            ),
        ),
        (
            "azure-sas-token",
            format!(
                "https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01&sig={}",
                b64.encode(random(ALNUM, 32, 6))
                    .replace('=', "%3D")
                    .replace('+', "%2B")
                    .replace('/', "%2F")
            ),
        ),
        (
            "azure-ad-client-secret",
            format!("abc8Q~{}", random(ALNUM, 34, 10)),
        ),
        (
            "github-pat",
            make::base62_crc32_token("ghp_", &random(ALNUM, 30, 11)),
        ),
        (
            "github-oauth-token",
            make::base62_crc32_token("gho_", &random(ALNUM, 30, 12)),
        ),
        (
            "github-app-token",
            make::base62_crc32_token("ghs_", &random(ALNUM, 30, 13)),
        ),
        (
            "github-refresh-token",
            make::base62_crc32_token("ghr_", &random(ALNUM, 30, 14)),
        ),
        (
            "github-fine-grained-pat",
            format!(
                "github_pat_{}_{}",
                random(ALNUM, 22, 15),
                random(ALNUM, 59, 16)
            ),
        ),
        ("gitlab-pat", format!("glpat-{}", random(URLSAFE, 20, 17))),
        ("gitlab-token", format!("gldt-{}", random(URLSAFE, 20, 18))),
        (
            "gitlab-runner-registration-token",
            format!("GR1348941{}", random(URLSAFE, 20, 19)),
        ),
        (
            "bitbucket-app-password",
            format!("ATBB{}", random(ALNUM, 32, 20)),
        ),
        (
            "atlassian-api-token",
            format!("ATATT3{}", random(URLSAFE, 186, 21)),
        ),
        (
            "circleci-token",
            format!("CCIPAT_{}_{}", random(ALNUM, 22, 22), random(HEX, 40, 23)),
        ),
        ("buildkite-token", format!("bkua_{}", random(HEX, 40, 24))),
        (
            "terraform-cloud-token",
            format!(
                "{}.atlasv1.{}",
                random(ALNUM, 14, 25),
                random(URLSAFE, 67, 26)
            ),
        ),
        ("vault-token", format!("hvs.{}", random(URLSAFE, 95, 27))),
        (
            "digitalocean-token",
            format!("dop_v1_{}", random(HEX, 64, 28)),
        ),
        (
            "grafana-service-account-token",
            format!(
                "{grafana_body}_{:08x}",
                checks::crc32(grafana_body.as_bytes())
            ),
        ),
        (
            "slack-bot-token",
            format!(
                "xoxb-{}-{}-{}",
                random("0123456789", 12, 29),
                random("0123456789", 13, 30),
                random(ALNUM, 24, 31)
            ),
        ),
        (
            "slack-user-token",
            format!(
                "xoxp-{}-{}-{}-{}",
                random("0123456789", 12, 32),
                random("0123456789", 12, 33),
                random("0123456789", 13, 34),
                random(HEX, 32, 35)
            ),
        ),
        (
            "slack-app-token",
            format!(
                "xapp-1-A{}-{}-{}",
                random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10, 36),
                random("0123456789", 13, 37),
                random(HEX, 64, 38)
            ),
        ),
        (
            "slack-legacy-token",
            format!(
                "xoxs-{}-{}-{}",
                random("0123456789", 10, 39),
                random("0123456789", 12, 40),
                random(ALNUM, 30, 41)
            ),
        ),
        (
            "slack-webhook-url",
            format!(
                "https://hooks.slack.com/services/T{}/B{}/{}",
                random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8, 42),
                random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8, 43),
                random(ALNUM, 24, 44)
            ),
        ),
        (
            "discord-bot-token",
            format!(
                "{}.{}.{}",
                b64url.encode("123456789012345678"),
                random(URLSAFE, 6, 45),
                random(URLSAFE, 27, 46)
            ),
        ),
        (
            "discord-webhook-url",
            format!(
                "https://discord.com/api/webhooks/123456789012345678/{}",
                random(URLSAFE, 68, 47)
            ),
        ),
        (
            "telegram-bot-token",
            format!("123456789:AA{}", random(URLSAFE, 33, 48)),
        ),
        (
            "teams-webhook-url",
            format!(
                "https://contoso.webhook.office.com/webhookb2/{}@{}/IncomingWebhook/{}/{}",
                uuid(49),
                uuid(50),
                random(HEX, 32, 51),
                uuid(52)
            ),
        ),
        (
            "stripe-secret-key",
            format!("sk_live_{}", random(ALNUM, 24, 53)),
        ),
        (
            "square-access-token",
            format!("sq0atp-{}", random(URLSAFE, 22, 54)),
        ),
        (
            "square-oauth-secret",
            format!("sq0csp-{}", random(URLSAFE, 43, 55)),
        ),
        (
            "braintree-access-token",
            format!(
                "access_token$production${}${}",
                random("0123456789abcdefghijklmnopqrstuvwxyz", 16, 56),
                random(HEX, 32, 57)
            ),
        ),
        (
            "npm-token",
            make::base62_crc32_token("npm_", &random(ALNUM, 30, 58)),
        ),
        ("pypi-token", format!("pypi-{}", b64url.encode(&macaroon))),
        (
            "rubygems-token",
            format!("rubygems_{}", random(HEX, 48, 59)),
        ),
        (
            "nuget-api-key",
            format!(
                "oy2{}",
                random("0123456789abcdefghijklmnopqrstuvwxyz", 43, 60)
            ),
        ),
        (
            "docker-hub-token",
            format!("dckr_pat_{}", random(URLSAFE, 27, 61)),
        ),
        (
            "artifactory-api-key",
            format!("AKCp{}", random(ALNUM, 69, 62)),
        ),
        (
            "openai-api-key",
            format!(
                "sk-proj-{}T3BlbkFJ{}",
                random(URLSAFE, 74, 63),
                random(URLSAFE, 74, 64)
            ),
        ),
        (
            "anthropic-api-key",
            format!("sk-ant-api03-{}AA", random(URLSAFE, 93, 65)),
        ),
        (
            "huggingface-token",
            format!(
                "hf_{}",
                random(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                    34,
                    66
                )
            ),
        ),
        (
            "sendgrid-api-key",
            format!("SG.{}.{}", random(URLSAFE, 22, 67), random(URLSAFE, 43, 68)),
        ),
        ("mailchimp-api-key", format!("{}-us12", random(HEX, 32, 69))),
        ("twilio-api-key", format!("SK{}", random(HEX, 32, 70))),
        ("shopify-token", format!("shpat_{}", random(HEX, 32, 71))),
        (
            "linear-api-key",
            format!("lin_api_{}", random(ALNUM, 40, 72)),
        ),
        (
            "postman-api-key",
            format!("PMAK-{}-{}", random(HEX, 24, 73), random(HEX, 34, 74)),
        ),
        ("databricks-token", format!("dapi{}", random(HEX, 32, 75))),
        ("pulumi-token", format!("pul-{}", random(HEX, 40, 76))),
        ("doppler-token", format!("dp.pt.{}", random(ALNUM, 43, 77))),
        (
            "new-relic-user-api-key",
            format!(
                "NRAK-{}",
                random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 27, 78)
            ),
        ),
        ("age-secret-key", age),
        (
            "jwt",
            format!(
                "{}.{}.{}",
                b64url.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
                b64url.encode(r#"{"sub":"admin","iat":1700000000}"#),
                random(URLSAFE, 43, 79)
            ),
        ),
    ]
}

fn uuid(seed: u64) -> String {
    let hex = random(HEX, 32, seed);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn bech32_encode(hrp: &str, data: &[u8]) -> String {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let mut values: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
    values.push(0);
    values.extend(hrp.bytes().map(|b| b & 31));
    values.extend(data);
    values.extend([0; 6]);
    let polymod = checks::tests_polymod(&values) ^ 1;
    let checksum = (0..6).map(|i| ((polymod >> (5 * (5 - i))) & 31) as u8);
    let mut out = format!("{hrp}1");
    for v in data.iter().copied().chain(checksum) {
        out.push(CHARSET[v as usize] as char);
    }
    out
}

#[test]
fn every_format_has_a_vector_that_it_finds_alone() {
    let vectors = vectors();
    for format in FORMATS {
        assert!(
            vectors.iter().any(|(id, _)| *id == format.id),
            "no vector for {}",
            format.id
        );
    }
    for (id, token) in &vectors {
        let line = format!("value: \"{token}\"\n");
        assert_eq!(ids(&line), [*id], "{token}");
        let found = &scan(&line, Syntax::Code)[0];
        assert_eq!(found.line, 1);
        assert_eq!(found.end_line, 1);
        assert!(found.column >= 9, "{id}: column {}", found.column);
        assert!(
            !found.redacted.contains(&line[found.start..found.end]),
            "{id} leaked: {}",
            found.redacted
        );
    }
}

#[test]
fn checksums_and_structures_reject_lookalikes() {
    // Classic GitHub and npm tokens with a wrong checksum.
    assert!(ids("ghp_0123456789abcdefghijABCDEFGHIJ012345").is_empty());
    assert!(ids("npm_0123456789abcdefghijABCDEFGHIJ012345").is_empty());
    // A JWT-shaped string whose header is not JSON with `alg`.
    assert!(ids("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl").is_empty());
    // The AWS documentation's example key, and a word that starts like a key id.
    assert!(ids("AKIAIOSFODNN7EXAMPLE").is_empty());
    assert!(ids("AKIA-not-a-key").is_empty());
    // Nor are they secrets by the name they are assigned to.
    assert!(
        scan(
            "GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\n",
            Syntax::Config
        )
        .is_empty()
    );
    // Tokens embedded in longer words are not tokens.
    let pat = make::base62_crc32_token("ghp_", &random(ALNUM, 30, 11));
    assert!(ids(&format!("x{pat}")).is_empty());
    assert!(ids(&format!("{pat}0")).is_empty());
}

fn rsa_body(lines: usize) -> String {
    (0..lines)
        .map(|i| random(&format!("{ALNUM}+/"), 64, 100 + i as u64))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn private_keys_in_every_encoding() {
    use base64::Engine as _;
    let body = rsa_body(4);
    let pem = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n");
    let found = scan(&pem, Syntax::Code);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].what, "an RSA private key");
    assert_eq!((found[0].line, found[0].column), (1, 1));
    assert_eq!((found[0].end_line, found[0].end_column), (6, 29));
    assert!(
        found[0]
            .redacted
            .starts_with("`-----BEGIN RSA PRIVATE KEY-----…`")
    );

    // Indented in YAML, escaped in JSON.
    let yaml = format!("key: |\n  {}\n", pem.trim_end().replace('\n', "\n  "));
    assert_eq!(scan(&yaml, Syntax::Config)[0].what, "an RSA private key");
    let json = format!(
        "{{\"type\": \"service_account\", \"private_key\": \"{}\"}}",
        pem.replace("RSA ", "").replace('\n', "\\n")
    );
    assert_eq!(
        scan(&json, Syntax::Code)[0].what,
        "a Google Cloud service account key"
    );

    // Encrypted, in each of the ways PEM says so.
    let legacy = format!(
        "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0011\n\n{body}\n-----END EC PRIVATE KEY-----"
    );
    assert_eq!(
        scan(&legacy, Syntax::Code)[0].what,
        "an encrypted EC private key"
    );
    let pkcs8 = format!(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n{body}\n-----END ENCRYPTED PRIVATE KEY-----"
    );
    assert_eq!(
        scan(&pkcs8, Syntax::Code)[0].what,
        "an encrypted PKCS#8 private key"
    );
    let mut openssh = b"openssh-key-v1\0".to_vec();
    openssh.extend(6u32.to_be_bytes());
    openssh.extend(b"aes256");
    openssh.extend(random(ALNUM, 80, 3).bytes());
    let openssh = base64::engine::general_purpose::STANDARD.encode(&openssh);
    let openssh = format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{openssh}\n-----END OPENSSH PRIVATE KEY-----"
    );
    assert_eq!(
        scan(&openssh, Syntax::Code)[0].what,
        "an encrypted OpenSSH private key"
    );

    // PuTTY.
    let putty = format!(
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: me\nPublic-Lines: 1\n{}\nPrivate-Lines: 1\n{}\nPrivate-MAC: {}\n",
        random(ALNUM, 64, 4),
        random(ALNUM, 64, 5),
        random(HEX, 64, 6)
    );
    assert_eq!(scan(&putty, Syntax::Code)[0].what, "a PuTTY private key");

    // Wrapped in base64, as kubeconfigs and Secrets hold it.
    let wrapped = base64::engine::general_purpose::STANDARD.encode(&pem);
    let kubeconfig = format!("users:\n- user:\n    client-key-data: {wrapped}\n");
    let found = scan(&kubeconfig, Syntax::Config);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].what, "an RSA private key, base64-encoded");
    assert_eq!(found[0].line, 3);

    // Not keys: a certificate, a public key, an example with an elided body.
    for text in [
        format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----"),
        format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----"),
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----".to_owned(),
        "-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END RSA PRIVATE KEY-----"
            .to_owned(),
    ] {
        assert!(ids(&text).is_empty(), "{text}");
    }
}

#[test]
fn urls_with_passwords() {
    let found = scan(
        "DATABASE_URL=postgres://app:Sup3rS3cret@db.internal:5432/orders",
        Syntax::Config,
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].what, "a URL with a password in it");
    assert_eq!(found[0].redacted, "`postgres://app:****@db.internal:5432`");
    assert_eq!(found[0].column, 29);
    for text in [
        "postgres://app:$(DB_PASS)@db/orders",
        "postgres://app:${DB_PASS}@db/orders",
        "postgres://app@db/orders",
        "https://user:<password>@example.com",
        "mongodb://root:changeme@mongo:27017",
    ] {
        assert!(ids(text).is_empty(), "{text}");
    }
}

#[test]
fn named_literals_in_configuration_and_code() {
    let config = "DB_PASSWORD=hunter2-but-longer\nLOG_LEVEL=debug\nDB_PASSWORD_FILE=/run/secrets/db\nAPI_KEY=${API_KEY}\n";
    let found = scan(config, Syntax::Config);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].what, "a literal password");
    assert_eq!(found[0].name.as_deref(), Some("DB_PASSWORD"));
    assert_eq!((found[0].line, found[0].column), (1, 13));
    assert_eq!(found[0].redacted, "<redacted, 18 characters>");

    let yaml = "database:\n  password: s3cr3t-Passw0rd\n  user: app\n";
    assert_eq!(scan(yaml, Syntax::Config)[0].line, 2);

    let code = "password = get_password()\napi_key = os.environ['API_KEY']\nsecret = \"q8ZtR2vLx9WmKp4Nd7Hs\"\nconst token = 'Bearer';\n";
    let found = scan(code, Syntax::Code);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 3);
    // Prose and format strings.
    assert!(scan("// a client key or a token: `admin.conf`\n", Syntax::Code).is_empty());
    assert!(scan("url = \"postgres://app:{}@db:5432\"\n", Syntax::Code).is_empty());
    assert!(scan("key = \"https://index.docker.io/v1/\"\n", Syntax::Code).is_empty());
    // In code, an unquoted value is an expression.
    assert!(scan("password = hunter2_value\n", Syntax::Code).is_empty());
    // A JSON object's member.
    assert_eq!(
        ids(r#"{"clientSecret": "Zr8kP2mXq9vL4tWn"}"#),
        ["named-secret"]
    );
    // Flags on a command line.
    assert_eq!(
        ids("mysql --password=Zr8kP2mXq9vL4tWn db"),
        ["named-secret"]
    );
    // Weak names need random values.
    assert!(scan("sort_key: created_at\n", Syntax::Config).is_empty());
    assert_eq!(
        scan("license_key: q8ZtR2vLx9WmKp4Nd7Hs\n", Syntax::Config).len(),
        1
    );
    // Placeholders.
    for value in [
        "changeme",
        "<your-key>",
        "XXXX",
        "KEY_VAL",
        "{{ .Values.db.password }}",
        "your_password_here",
    ] {
        assert!(
            scan(&format!("password: \"{value}\"\n"), Syntax::Config).is_empty(),
            "{value}"
        );
    }
}

#[test]
fn a_format_inside_a_named_value_is_told_by_its_format() {
    let pat = make::base62_crc32_token("ghp_", &random(ALNUM, 30, 11));
    let found = scan(&format!("GITHUB_TOKEN={pat}\n"), Syntax::Config);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "github-pat");
}

#[test]
fn detect_a_named_value() {
    let what = |name: &str, value: &str| detect(name, value).map(|d| d.what);
    assert_eq!(
        what("DB_PASSWORD", "hunter2").as_deref(),
        Some("a literal password")
    );
    assert_eq!(
        what("STRIPE_API_KEY", "abc").as_deref(),
        Some("a literal key")
    );
    assert_eq!(
        what("SESSION_SECRET", "x1").as_deref(),
        Some("a literal secret")
    );
    assert_eq!(what("TOKENIZER", "bert-base"), None);
    assert_eq!(what("DB_PASSWORD", "${DB_PASSWORD}"), None);
    assert_eq!(what("LICENSE_KEY", "community"), None);
    assert_eq!(
        what(
            "CONFIG",
            &make::base62_crc32_token("ghp_", &random(ALNUM, 30, 11))
        )
        .as_deref(),
        Some("a GitHub personal access token")
    );
    let url = detect(
        "DATABASE_URL",
        "postgres://app:Sup3rS3cret@db.internal:5432/orders",
    )
    .unwrap();
    assert_eq!(url.redacted, "`postgres://app:****@db.internal:5432`");
    assert!(names_a_secret("NPM_TOKEN"));
    assert!(!names_a_secret("NPM_REGISTRY"));
    assert!(looks_like_credential("q8ZtR2vLx9WmKp4Nd7Hs"));
    assert!(!looks_like_credential("git"));
}

#[test]
fn positions_count_characters_and_lines() {
    let pat = make::base62_crc32_token("ghp_", &random(ALNUM, 30, 11));
    let text = format!("# é\nnote = \"héllo\" token: {pat} done\n");
    let found = scan(&text, Syntax::Code);
    assert_eq!(found.len(), 1);
    // `é` is one character: the token starts at the 23rd.
    assert_eq!((found[0].line, found[0].column), (2, 23));
    assert_eq!(found[0].end_column, 23 + 39);
    assert_eq!(&text[found[0].start..found[0].end], pat);
    assert_eq!(found[0].digest, digest(&pat));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever surrounds it, a secret's redaction never shows the part after its
        /// public prefix.
        #[test]
        fn redaction_never_reveals_the_secret(
            index in 0usize..57,
            before in "[ -~\n]{0,40}",
            after in "[ -~\n]{0,40}",
        ) {
            let vectors = vectors();
            let (_, token) = &vectors[index % vectors.len()];
            let text = format!("{before} {token} {after}");
            for secret in scan(&text, Syntax::Config) {
                let value = &text[secret.start..secret.end];
                let public = secret.format.map_or(0, |f| f.public);
                let hidden: String = value.chars().skip(public).collect();
                prop_assert!(hidden.len() < 4 || !secret.redacted.contains(&hidden),
                    "{} shows {hidden}", secret.redacted);
                prop_assert!(!secret.redacted.contains(value) || value.chars().count() <= public);
            }
        }

        /// Any text is scanned without panicking, and every secret lies within it.
        #[test]
        fn any_text_is_scanned(text in "\\PC{0,300}") {
            for secret in scan(&text, Syntax::Config) {
                prop_assert!(secret.start < secret.end && secret.end <= text.len());
            }
        }
    }
}
