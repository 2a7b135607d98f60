import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo third party of the WebRTC IMS gateway (issue 11): a shop's web server on its own origin. It keeps the
 * shop's WAF client secret server-side and asks the gateway's WAF for tokens its page registers with: a guest's
 * (RFC 6749 client credentials, scope guest; TS 24.371 scenario 3) or, after the user signed in at the operator's
 * identity provider through this server (OpenID Connect code flow with PKCE, confidential client), the subscriber's
 * (RFC 8693 token exchange; scenario 2). JDK only, one file: {@code java ShopServer.java --port 8099 ...}.
 *
 * <p>Options: --port, --gateway (http base of the gateway), --ws (its SIP WebSocket URI), --waf (https base of the
 * gateway's WAF; default --gateway) with --waf-trust-self-signed for a demo gateway on localhost, --client-id,
 * --client-secret-file, --support (the number the page calls), --domain, --dir (of the page's files), and optionally
 * --idp-issuer with
 * --idp-client-secret-file for subscriber sign-in. Secrets come from files, never from the command line.
 */
public final class ShopServer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_SESSIONS = 1000;
    private static final Duration SESSION_LIFETIME = Duration.ofHours(1);
    private static final String COOKIE = "shop_session";

    private final Map<String, String> options;
    private final Path clientSecret;
    private final Path idpSecret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Toward the WAF: https (the gateway refuses credentials in clear); see {@link #wafClient}. */
    private final HttpClient wafHttp;
    /** Sessions by cookie: the sign-in in progress (state, verifier) and then the user's identity-provider tokens. */
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private String authorizationEndpoint;
    private String tokenEndpoint;

    private static final class Session {
        final Instant created = Instant.now();
        String state;
        String verifier;
        String accessToken;
        String refreshToken;
        String impu;
    }

    private ShopServer(Map<String, String> options) throws IOException {
        this.options = options;
        // read at each use: the operator may issue a new secret (and the shop store it) without a restart
        this.clientSecret = Path.of(required(options, "client-secret-file"));
        this.idpSecret = options.containsKey("idp-client-secret-file")
                ? Path.of(options.get("idp-client-secret-file")) : null;
        this.wafHttp = wafClient(URI.create(options.getOrDefault("waf", required(options, "gateway"))),
                Boolean.parseBoolean(options.getOrDefault("waf-trust-self-signed", "false")));
    }

    /**
     * The client for the WAF's token endpoint. A demo gateway on this machine has a self-signed certificate: with
     * --waf-trust-self-signed, and only for localhost, any certificate is taken. A real shop trusts the operator's CA.
     */
    private static HttpClient wafClient(URI waf, boolean trustSelfSigned) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (!trustSelfSigned) {
            return builder.build();
        }
        if (!"localhost".equals(waf.getHost())) {
            throw new IllegalArgumentException("--waf-trust-self-signed is for a demo gateway on localhost only");
        }
        try {
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return builder.sslContext(tls).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ShopServer shop = new ShopServer(options);
        int port = Integer.parseInt(options.getOrDefault("port", "8099"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/", shop::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("Example shop on http://127.0.0.1:" + port + "/ (gateway " + options.get("gateway") + ")");
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (method + " " + path) {
                case "GET /", "GET /index.html" -> page(exchange);
                case "GET /shop.js" -> file(exchange, "shop.js", "text/javascript");
                case "GET /shop.css" -> file(exchange, "shop.css", "text/css");
                case "POST /guest-token" -> guestToken(exchange);
                case "GET /sign-in" -> signIn(exchange);
                case "GET /signed-in" -> signedIn(exchange);
                case "GET /session" -> session(exchange);
                case "POST /user-token" -> userToken(exchange);
                default -> send(exchange, 404, "text/plain", "not found");
            }
        } catch (RuntimeException | InterruptedException e) {
            System.err.println("request failed: " + e); // never a token or secret: none is in an exception text
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Path dir() {
        return Path.of(options.getOrDefault("dir", ".")); // where index.html, shop.js and shop.css are
    }

    private void page(HttpExchange exchange) throws IOException {
        String gateway = required(options, "gateway");
        String html = Files.readString(dir().resolve("index.html"))
                .replace("${GATEWAY}", gateway)
                .replace("${WS}", options.getOrDefault("ws", gateway.replaceFirst("^http", "ws") + "/sip"))
                .replace("${SUPPORT}", options.getOrDefault("support", "+15550100"))
                .replace("${DOMAIN}", options.getOrDefault("domain", "ims.example.test"));
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; script-src 'self' " + gateway
                + "; connect-src 'self' " + gateway.replaceFirst("^http", "ws") + "; media-src 'self' blob: mediastream:;"
                + " frame-ancestors 'none'");
        send(exchange, 200, "text/html; charset=utf-8", html);
    }

    private void file(HttpExchange exchange, String name, String type) throws IOException {
        send(exchange, 200, type + "; charset=utf-8", Files.readString(dir().resolve(name)));
    }

    /** Scenario 3: a guest token for the page; the secret goes from this server to the WAF only. */
    private void guestToken(HttpExchange exchange) throws IOException, InterruptedException {
        relay(exchange, waf("grant_type=client_credentials&scope=guest"));
    }

    private HttpResponse<String> waf(String form) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((enc(required(options, "client-id")) + ":" + enc(secret(clientSecret)))
                .getBytes(StandardCharsets.UTF_8)); // RFC 6749 §2.3.1
        return wafHttp.send(HttpRequest.newBuilder(URI.create(options.getOrDefault("waf", required(options, "gateway"))
                + "/waf/token"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void relay(HttpExchange exchange, HttpResponse<String> answer) throws IOException {
        answer.headers().firstValue("Retry-After").ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, answer.statusCode(), "application/json", answer.body());
    }

    /** Scenario 2, step 1: off to the operator's identity provider, with state and a PKCE challenge (RFC 7636). */
    private void signIn(HttpExchange exchange) throws IOException, InterruptedException {
        if (idpSecret == null || !discover()) {
            send(exchange, 503, "text/plain", "operator sign-in is not available");
            return;
        }
        Session session = new Session();
        session.state = random();
        session.verifier = random();
        String id = random();
        remember(id, session);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(session.verifier));
        String location = authorizationEndpoint + "?response_type=code&client_id=" + enc(required(options, "client-id"))
                + "&redirect_uri=" + enc(redirectUri()) + "&scope=openid&state=" + session.state
                + "&code_challenge=" + challenge + "&code_challenge_method=S256";
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
        exchange.getResponseHeaders().set("Location", location);
        send(exchange, 302, "text/plain", "");
    }

    /** Scenario 2, step 2: the code redeemed with this client's secret and the verifier; the tokens stay here. */
    private void signedIn(HttpExchange exchange) throws IOException, InterruptedException {
        Map<String, String> query = form(Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""));
        Session session = sessionOf(exchange);
        if (session == null || session.state == null || !session.state.equals(query.get("state"))
                || query.get("code") == null) {
            send(exchange, 400, "text/plain", "this sign-in was not started here"); // RFC 6749 §10.12
            return;
        }
        session.state = null;
        HttpResponse<String> tokens = idpToken("grant_type=authorization_code&code=" + enc(query.get("code"))
                + "&redirect_uri=" + enc(redirectUri()) + "&code_verifier=" + enc(session.verifier));
        if (tokens.statusCode() != 200) {
            send(exchange, 502, "text/plain", "the identity provider refused the sign-in");
            return;
        }
        session.accessToken = field(tokens.body(), "access_token");
        session.refreshToken = field(tokens.body(), "refresh_token");
        String signedIn = random(); // a new session id once signed in: none known before the sign-in carries over
        forget(exchange);
        remember(signedIn, session);
        exchange.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + signedIn + "; Path=/; HttpOnly; SameSite=Lax");
        HttpResponse<String> probe = exchange(session); // the WAF says which IMPU the user has (or refuses him)
        session.impu = probe.statusCode() == 200 ? field(probe.body(), "impu") : null;
        exchange.getResponseHeaders().set("Location", "/");
        send(exchange, 302, "text/plain", "");
    }

    private HttpResponse<String> idpToken(String form) throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((enc(required(options, "client-id")) + ":" + enc(secret(idpSecret)))
                .getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void session(HttpExchange exchange) throws IOException {
        Session session = sessionOf(exchange);
        String impu = session == null ? null : session.impu;
        send(exchange, 200, "application/json", impu == null ? "{}" : "{\"impu\":\"" + impu + "\"}");
    }

    /** Scenario 2, step 3: the user's token exchanged at the WAF (RFC 8693) for one the page registers with. */
    private void userToken(HttpExchange exchange) throws IOException, InterruptedException {
        Session session = sessionOf(exchange);
        if (session == null || session.accessToken == null) {
            send(exchange, 401, "application/json", "{\"error\":\"login_required\",\"error_description\":"
                    + "\"sign in with your operator account first\"}");
            return;
        }
        HttpResponse<String> answer = exchange(session);
        if (answer.statusCode() == 400 && session.refreshToken != null) { // the user's token may have expired
            HttpResponse<String> refreshed = idpToken("grant_type=refresh_token&refresh_token="
                    + enc(session.refreshToken));
            if (refreshed.statusCode() == 200) {
                session.accessToken = field(refreshed.body(), "access_token");
                session.refreshToken = field(refreshed.body(), "refresh_token");
                answer = exchange(session);
            }
        }
        if (answer.statusCode() == 200) {
            session.impu = field(answer.body(), "impu");
        }
        relay(exchange, answer);
    }

    private HttpResponse<String> exchange(Session session) throws IOException, InterruptedException {
        return waf("grant_type=" + enc("urn:ietf:params:oauth:grant-type:token-exchange") + "&subject_token="
                + enc(session.accessToken) + "&subject_token_type="
                + enc("urn:ietf:params:oauth:token-type:access_token"));
    }

    /** OpenID Connect Discovery 1.0: the provider's endpoints, once. */
    private synchronized boolean discover() throws IOException, InterruptedException {
        if (tokenEndpoint == null) {
            String issuer = required(options, "idp-issuer");
            HttpResponse<String> document = http.send(HttpRequest.newBuilder(URI.create(issuer
                    + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (document.statusCode() != 200 || !issuer.equals(field(document.body(), "issuer"))) {
                return false;
            }
            authorizationEndpoint = field(document.body(), "authorization_endpoint");
            tokenEndpoint = field(document.body(), "token_endpoint");
        }
        return tokenEndpoint != null;
    }

    private String redirectUri() {
        return "http://127.0.0.1:" + options.getOrDefault("port", "8099") + "/signed-in";
    }

    private synchronized void remember(String id, Session session) {
        Instant oldest = Instant.now().minus(SESSION_LIFETIME);
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext();) {
            Session next = it.next();
            if (next.created.isBefore(oldest) || sessions.size() >= MAX_SESSIONS) {
                it.remove(); // bounded: the oldest go first
            } else {
                break;
            }
        }
        sessions.put(id, session);
    }

    private synchronized Session sessionOf(HttpExchange exchange) {
        return sessionId(exchange).map(sessions::get).orElse(null);
    }

    private synchronized void forget(HttpExchange exchange) {
        sessionId(exchange).ifPresent(sessions::remove);
    }

    private static Optional<String> sessionId(HttpExchange exchange) {
        String cookies = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Cookie")).orElse("");
        Matcher m = Pattern.compile("(?:^|;\\s*)" + COOKIE + "=([A-Za-z0-9_-]+)").matcher(cookies);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A string field of a flat JSON object (the answers of the WAF and of the identity provider), or null. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\/", "/") : null;
    }

    private static Map<String, String> form(String query) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static String secret(Path file) throws IOException {
        return Files.readString(file).trim();
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        System.out.println(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " -> " + status);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
