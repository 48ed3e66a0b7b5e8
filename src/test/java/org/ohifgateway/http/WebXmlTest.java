package org.ohifgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** web.xml is the map of URL space and roles; {@link Routes} and {@link Roles} must say the same. */
class WebXmlTest {

    private static final Document WEB_XML = parse();

    private static Document parse() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            return factory.newDocumentBuilder().parse(Path.of("src/main/webapp/WEB-INF/web.xml").toFile());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Element> elements(Element parent, String name) {
        NodeList nodes = parent == null ? WEB_XML.getElementsByTagName(name) : parent.getElementsByTagName(name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static String text(Element parent, String name) {
        return elements(parent, name).get(0).getTextContent().trim();
    }

    private static Set<String> texts(Element parent, String name) {
        Set<String> texts = new HashSet<>();
        elements(parent, name).forEach(element -> texts.add(element.getTextContent().trim()));
        return texts;
    }

    /** The URL patterns of the servlet whose route policy is the named class. */
    private static Set<String> routeMappings(String policyClass) {
        return servletMappings(element -> texts(element, "param-value").contains(policyClass));
    }

    /** The URL patterns of the servlet of this class. */
    private static Set<String> servletClassMappings(String servletClass) {
        return servletMappings(element -> text(element, "servlet-class").equals(servletClass));
    }

    private static Set<String> servletMappings(Predicate<Element> servletElement) {
        String servlet = elements(null, "servlet").stream().filter(servletElement)
                .map(element -> text(element, "servlet-name")).findFirst().orElseThrow();
        Set<String> patterns = new HashSet<>();
        elements(null, "servlet-mapping").stream().filter(mapping -> text(mapping, "servlet-name").equals(servlet))
                .forEach(mapping -> patterns.addAll(texts(mapping, "url-pattern")));
        return patterns;
    }

    private static Set<String> filterPatterns(String filter) {
        Set<String> patterns = new HashSet<>();
        elements(null, "filter-mapping").stream().filter(mapping -> text(mapping, "filter-name").equals(filter))
                .forEach(mapping -> patterns.addAll(texts(mapping, "url-pattern")));
        return patterns;
    }

    @Test
    void theProxiedRoutesAreWhereWebXmlMapsThem() {
        assertEquals(Set.of(Routes.DICOMWEB + "/*"), routeMappings("org.ohifgateway.pacs.DicomWebRoute"));
        assertEquals(Set.of(Routes.ADMIN + "/*"), routeMappings("org.ohifgateway.admin.AdminRoute"));
        Set<String> archive = Set.of(Routes.DICOMWEB + "/*", Routes.ADMIN + "/*");
        assertEquals(archive, filterPatterns("Audit"), "every request to the archive is audited");
        assertEquals(archive, filterPatterns("SameOrigin"), "changes to the archive come from the gateway's pages");
        Set<String> constrained = new HashSet<>();
        elements(null, "web-resource-collection").forEach(collection -> constrained.addAll(texts(collection, "url-pattern")));
        assertTrue(constrained.containsAll(archive), "both routes need a login: " + constrained);
    }

    @Test
    void theRolesAreTheOnesWebXmlDeclares() {
        Set<String> roles = new HashSet<>(Roles.ALL);
        roles.add(Roles.MONITOR);
        assertEquals(roles, new HashSet<>(elements(null, "security-role").stream()
                .map(role -> text(role, "role-name")).toList()));
        Set<String> granted = new HashSet<>();
        elements(null, "auth-constraint").forEach(constraint -> granted.addAll(texts(constraint, "role-name")));
        assertEquals(roles, granted, "every role is granted something, and no other role is");
        assertEquals(roles, Set.copyOf(Roles.GRANTABLE), "users and directory groups can be given each role");
    }

    @Test
    void theMetricsAreWhereWebXmlMapsThemAndOnlyForTheMonitorRole() {
        assertEquals(Set.of(Routes.METRICS), servletClassMappings("org.ohifgateway.metrics.MetricsServlet"));
        List<Element> constraints = elements(null, "security-constraint").stream()
                .filter(constraint -> texts(constraint, "url-pattern").contains(Routes.METRICS + "/*")).toList();
        assertEquals(1, constraints.size(), "one constraint covers the metrics");
        assertEquals(Set.of(Roles.MONITOR), texts(constraints.get(0), "role-name"));
        assertEquals(Set.of("/*"), filterPatterns("Metrics"), "every request is counted");
    }

    @Test
    void theServersOwnEndpointsAreTheOnesWebXmlRestricts() {
        Set<String> restricted = new HashSet<>();
        elements(null, "web-resource-collection").stream()
                .filter(collection -> text(collection, "web-resource-name").equals("Server endpoints"))
                .forEach(collection -> restricted.addAll(texts(collection, "url-pattern")));
        assertEquals(Set.copyOf(Routes.SERVER.stream().map(path -> path + "/*").toList()), restricted);
    }

    /**
     * web.xml has no deny-uncovered-http-methods (Undertow misreads it), so each constrained path
     * must have a constraint for every method: one without a method list, or method omissions
     * whose omitted methods have constraints of their own.
     */
    @Test
    void everyMethodOfAConstrainedPathHasAConstraint() {
        List<Element> collections = elements(null, "web-resource-collection");
        Set<String> patterns = new HashSet<>();
        collections.forEach(collection -> patterns.addAll(texts(collection, "url-pattern")));
        for (String pattern : patterns) {
            List<Element> covering = collections.stream()
                    .filter(collection -> texts(collection, "url-pattern").contains(pattern)).toList();
            Set<String> listed = new HashSet<>();
            covering.forEach(collection -> listed.addAll(texts(collection, "http-method")));
            boolean all = covering.stream().anyMatch(collection -> texts(collection, "http-method").isEmpty()
                    && (texts(collection, "http-method-omission").isEmpty()
                            || listed.containsAll(texts(collection, "http-method-omission"))));
            assertTrue(all, pattern + " has methods without a constraint");
        }
    }

    @Test
    void theLoadBalancerCheckIsTheOnePathOpenWithoutALogin() {
        assertEquals(Set.of(Routes.READY), servletClassMappings("org.ohifgateway.health.LoadBalancerCheckServlet"));
        Set<String> open = new HashSet<>();
        elements(null, "security-constraint").stream()
                .filter(constraint -> elements(constraint, "auth-constraint").isEmpty())
                .forEach(constraint -> open.addAll(texts(constraint, "url-pattern")));
        assertEquals(Set.of(Routes.READY), open, "exactly this path, not a prefix");
    }

    /** The servlets (by name) a filter is mapped to. */
    private static Set<String> filterServlets(String filter) {
        Set<String> servlets = new HashSet<>();
        elements(null, "filter-mapping").stream().filter(mapping -> text(mapping, "filter-name").equals(filter))
                .forEach(mapping -> servlets.addAll(texts(mapping, "servlet-name")));
        return servlets;
    }

    private static String servletOfClass(String servletClass) {
        return elements(null, "servlet").stream().filter(element -> text(element, "servlet-class").equals(servletClass))
                .map(element -> text(element, "servlet-name")).findFirst().orElseThrow();
    }

    /**
     * The viewer's filters are mapped to servlets, not to paths (but the JSP engine's names): a
     * request to the archive routes (most of all the frames) passes no filter it does not need;
     * the metrics and the load balancer's check keep their own constraints instead of the
     * viewer's login.
     */
    @Test
    void theViewersFiltersAreOnTheViewersServletsOnly() {
        Set<String> servlets = new HashSet<>(elements(null, "servlet").stream().map(element -> text(element, "servlet-name")).toList());
        servlets.add("default"); // the container's servlet for files
        servlets.add("jsp"); // the container's JSP engine: OHIF has no server pages
        Set<String> viewer = Set.of("jsp", "default", servletOfClass("org.ohifgateway.viewer.IndexServlet"),
                servletOfClass("org.ohifgateway.viewer.AppConfigServlet"));
        Set<String> apart = Set.of(servletOfClass("org.ohifgateway.metrics.MetricsServlet"),
                servletOfClass("org.ohifgateway.health.LoadBalancerCheckServlet"));
        for (String filter : List.of("ViewerAccess", "ViewerMethods", "SpaFallback", "StaticFiles")) {
            assertEquals(Set.of(), filterPatterns(filter), filter + " is mapped by servlet name only");
        }
        for (String filter : List.of("ViewerAccess", "ViewerMethods", "SpaFallback", "StaticFiles")) {
            assertTrue(servlets.containsAll(filterServlets(filter)), filter + " names servlets that exist");
        }
        assertEquals(viewer, filterServlets("ViewerAccess"));
        Set<String> readOnly = new HashSet<>(viewer);
        readOnly.addAll(apart);
        assertEquals(readOnly, filterServlets("ViewerMethods"), "every servlet but the archive routes' and the error page's");
        assertEquals(Set.of("default"), filterServlets("SpaFallback"));
        assertEquals(Set.of("default"), filterServlets("StaticFiles"));
    }

    @Test
    void theRealmIsTheOneTheLoginNames() {
        assertEquals(Roles.REALM, text(null, "realm-name"));
    }

    @Test
    void aPathIsOnARouteOnlyAtASegmentBoundary() {
        assertTrue(Routes.on(Routes.DICOMWEB, Routes.DICOMWEB));
        assertTrue(Routes.on(Routes.DICOMWEB, Routes.DICOMWEB + "/studies"));
        assertTrue(!Routes.on(Routes.DICOMWEB, Routes.ADMIN + "/system"), "the admin route only shares a prefix");
        assertTrue(Routes.toServer(Routes.METRICS) && Routes.toServer("/health/ready") && Routes.toServer("/openapi")
                && Routes.toServer(Routes.READY));
        assertTrue(!Routes.toServer("/metrics.js") && !Routes.toServer("/healthy"), "only at a segment boundary");
    }
}
