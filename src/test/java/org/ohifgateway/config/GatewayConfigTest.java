package org.ohifgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    private static GatewayConfig of(Map<String, String> values) {
        return new GatewayConfig(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsSuitALocalOrthanc() {
        GatewayConfig config = of(Map.of());
        assertEquals(URI.create("http://127.0.0.1:8042"), config.orthancUrl());
        assertEquals("/pacs/", config.dicomWebRoot(""));
        assertEquals("/ohif/pacs/", config.dicomWebRoot("/ohif"));
        assertTrue(config.maxConnections() >= 64);
        assertTrue(config.idleConnectionMillis() < 1000, "below Orthanc's 1 s keep-alive");
        assertFalse(config.viewerFilesPublic());
        assertEquals(Optional.empty(), config.orthancAuthorization());
        assertEquals(new ViewerSettings(Optional.empty(), "Orthanc (through ohif-gateway)", Optional.empty(),
                Optional.empty(), true, true, true), config.viewerSettings(), "OHIF as it comes, with upload");
    }

    @Test
    void listsAndTrustStoresAreRead() {
        GatewayConfig config = of(Map.of("gateway.trusted-proxies", " 10.0.0.5 ,,10.0.0.6",
                "gateway.dicomweb.transfer-syntaxes", "*", "orthanc.trust-store", "/etc/ohif-gateway/orthanc.JKS"));
        assertEquals(java.util.Set.of("10.0.0.5", "10.0.0.6"), config.trustedProxies());
        assertEquals(java.util.Set.of("*"), config.allowedTransferSyntaxes());
        assertEquals("JKS", config.orthancTrustStore().orElseThrow().type());
        assertTrue(of(Map.of()).trustedProxies().isEmpty(), "no proxy is trusted unless named");
        assertTrue(of(Map.of()).orthancTrustStore().isEmpty());
    }

    @Test
    void viewerSettingsAreRead() {
        ViewerSettings settings = of(Map.of("gateway.viewer.title", "St. Mary's \"Imaging\"",
                "gateway.viewer.data-source-name", "Archive North", "gateway.viewer.default-mode", "@ohif/mode-segmentation",
                "gateway.viewer.study-list-page-size", "25", "gateway.viewer.upload", "false",
                "gateway.viewer.tour", "FALSE", "gateway.viewer.investigational-use-notice", "false")).viewerSettings();
        assertEquals(new ViewerSettings(Optional.of("St. Mary's \"Imaging\""), "Archive North",
                Optional.of("@ohif/mode-segmentation"), Optional.of(25), false, false, false), settings);
    }

    @Test
    void settingsAreReadAndNormalised() {
        GatewayConfig config = of(Map.of("orthanc.url", "https://archive.hospital.example:8443/orthanc/",
                "orthanc.dicomweb.root", "dicom-web", "orthanc.username", "gateway", "orthanc.password", "s3cret",
                "gateway.upstream.max-connections", "256", "gateway.viewer.public", "true"));
        assertEquals(URI.create("https://archive.hospital.example:8443/orthanc"), config.orthancUrl());
        assertEquals("/dicom-web/", config.dicomWebRoot(""));
        assertEquals(Optional.of("Basic Z2F0ZXdheTpzM2NyZXQ="), config.orthancAuthorization());
        assertEquals(256, config.maxConnections());
        assertTrue(config.viewerFilesPublic());
    }

    @Test
    void theDirectoryIsReadForTheLdapRealmOnly() {
        assertEquals(Optional.empty(), of(Map.of()).directory(), "the file realm by default");
        Map<String, String> ldap = Map.of("gateway.realm", "ldap", "gateway.ldap.url", "ldaps://dc1.hospital.example:636"
                + "  ldaps://dc2.hospital.example", "gateway.ldap.user-base", "OU=Staff,DC=hospital,DC=example",
                "gateway.ldap.bind-dn", "svc-pacs@hospital.example", "gateway.ldap.bind-password", "s3cret");
        DirectorySettings directory = of(ldap).directory().orElseThrow();
        assertEquals(new DirectorySettings(List.of("ldaps://dc1.hospital.example:636", "ldaps://dc2.hospital.example"),
                Optional.of("svc-pacs@hospital.example"), Optional.of("s3cret"), "OU=Staff,DC=hospital,DC=example",
                "(uid=%s)", 3_000, 5_000), directory);
        assertFalse(directory.toString().contains("s3cret"), directory.toString());

        Map<String, String> bad = Map.of("gateway.realm", "kerberos", "gateway.ldap.url", "https://dc1.hospital.example",
                "gateway.ldap.user-base", "", "gateway.ldap.user-filter", "(uid=alice)",
                "gateway.ldap.read-timeout-ms", "0");
        bad.forEach((key, value) -> {
            Map<String, String> settings = new java.util.HashMap<>(ldap);
            settings.put(key, value);
            if (value.isEmpty()) {
                settings.remove(key);
            }
            String message = assertThrows(IllegalArgumentException.class, () -> of(settings).validated()).getMessage();
            assertTrue(message.startsWith(key), key + ": " + message);
        });
    }

    @Test
    void theCacheIsOnAndTakesAnEighthOfTheHeap() {
        GatewayConfig defaults = of(Map.of());
        assertTrue(defaults.cacheEnabled());
        assertTrue(defaults.cachePrecompute());
        long eighth = Runtime.getRuntime().maxMemory() / 8;
        assertTrue(Math.abs(defaults.cacheLimitBytes() - eighth) <= 1024 * 1024, defaults.cacheLimitBytes() + " vs " + eighth);
        GatewayConfig set = of(Map.of("gateway.cache.enabled", "false", "gateway.cache.max-mb", "3000",
                "gateway.cache.precompute", "false", "gateway.cache.feed-interval-ms", "250"));
        assertFalse(set.cacheEnabled());
        assertFalse(set.cachePrecompute());
        assertEquals(3000L * 1024 * 1024, set.cacheLimitBytes(), "above 2 GB without overflow");
        assertEquals(250, set.cacheFeedIntervalMillis());
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("gateway.upstream.read-timeout-ms", "soon")).readTimeoutMillis())
                .getMessage().contains("gateway.upstream.read-timeout-ms"));
        assertThrows(IllegalArgumentException.class, () -> of(Map.of("gateway.upstream.max-connections", "0")).maxConnections());
        assertThrows(IllegalArgumentException.class, () -> of(Map.of("orthanc.url", "ftp://x")).orthancUrl());
    }

    @Test
    void badViewerSettingsNameTheirKey() {
        Map<String, String> bad = Map.of(
                "gateway.viewer.public", "yes",
                "gateway.viewer.upload", "no",
                "gateway.viewer.tour", "off",
                "gateway.viewer.investigational-use-notice", "1",
                "gateway.viewer.study-list-page-size", "0",
                "gateway.viewer.default-mode", "Basic Viewer",
                "gateway.viewer.title", "two\nlines",
                "gateway.viewer.data-source-name", "x".repeat(101));
        bad.forEach((key, value) -> {
            GatewayConfig config = of(Map.of(key, value));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> { config.viewerFilesPublic(); config.viewerSettings(); }, key + "=" + value);
            assertTrue(refused.getMessage().startsWith(EnvironmentName.both(key) + " must "), refused.getMessage());
        });
        assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("gateway.viewer.study-list-page-size", "many")).viewerSettings());
    }

    @Test
    void theWholeConfigurationIsCheckedAtOnce() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("gateway.public-origins", "https://pacs.example, pacs.example")).validated())
                .getMessage().startsWith("gateway.public-origins (GATEWAY_PUBLIC_ORIGINS) must "));
        for (String key : List.of("gateway.audit.file-count", "gateway.login.cool-down-seconds", "gateway.login.cache-seconds",
                "gateway.headers.hsts-max-age", "gateway.upload.max-mb", "gateway.cache.max-mb",
                "gateway.cache.feed-interval-ms")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> of(Map.of(key, "-1")).validated(), key);
            assertTrue(refused.getMessage().startsWith(EnvironmentName.both(key) + " must "), refused.getMessage());
        }
        GatewayConfig defaults = of(Map.of());
        assertEquals(defaults, defaults.validated(), "the defaults are usable");
        assertEquals(Duration.ofSeconds(30), defaults.loginCacheTime());
        assertEquals(Duration.ZERO, of(Map.of("gateway.login.cache-seconds", "0")).loginCacheTime(), "0: every login checked");
        assertEquals(Duration.ofMinutes(5), of(Map.of("gateway.login.cache-seconds", "300")).loginCacheTime());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("gateway.login.cache-seconds", "86400")).validated()).getMessage()
                .startsWith("gateway.login.cache-seconds (GATEWAY_LOGIN_CACHE_SECONDS) must be at most 300"));
    }

    @Test
    void severalOrthancNodesAreListedAndTheFirstIsTheDefault() {
        GatewayConfig config = of(Map.of("orthanc.url", " http://10.0.0.1:8042/ , http://10.0.0.2:8042"));
        assertEquals(List.of(URI.create("http://10.0.0.1:8042"), URI.create("http://10.0.0.2:8042")), config.orthancUrls());
        assertEquals(URI.create("http://10.0.0.1:8042"), config.orthancUrl());
        assertEquals(URI.create("http://10.0.0.1:8042"), config.orthancAdminUrl(), "admin on the first node by default");
        assertEquals(2000, config.nodeCheckIntervalMillis());
        assertEquals(1000, config.nodeCheckTimeoutMillis());
        assertEquals(URI.create("http://10.0.0.2:8042"), of(Map.of("orthanc.url", "http://10.0.0.1:8042,http://10.0.0.2:8042",
                "orthanc.admin-url", "http://10.0.0.2:8042/")).orthancAdminUrl());
    }

    @Test
    void aMalformedNodeListIsRefusedInOneLine() {
        for (String list : List.of("http://a:8042,,ftp://b", "http://a:8042,http://a:8042/", " , ",
                "http://a:8042,http://user:pw@b:8042", "http://a:8042,b:8042", "http://a:8042 http://b:8042")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> of(Map.of("orthanc.url", list)).validated(), list);
            assertTrue(refused.getMessage().startsWith("orthanc.url (ORTHANC_URL) "), refused.getMessage());
            assertFalse(refused.getMessage().contains("\n") || refused.getMessage().contains("pw"), refused.getMessage());
        }
        IllegalArgumentException admin = assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("orthanc.admin-url", "10.0.0.1:8042")).validated());
        assertTrue(admin.getMessage().startsWith("orthanc.admin-url (ORTHANC_ADMIN_URL) "), admin.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("gateway.upstream.check-interval-ms", "0")).validated());
    }
}
