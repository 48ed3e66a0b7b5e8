package org.ohifgateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.ohifgateway.it.GatewayStack.LOCKOUT_VICTIM;
import static org.ohifgateway.it.GatewayStack.VIEWER;
import static org.ohifgateway.it.GatewayStack.authorization;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two gateways in one data grid (gateway.cluster.members), on loopback, in front of the same
 * Orthanc: what one of them learns about failed logins, the other knows. Both are started the
 * way an administrator starts them, at the same time, and stay up for the whole class.
 */
@ExtendWith(GatewayStack.class)
class GridIT {

    private static final String DICOM_JSON = "application/dicom+json";

    private static PayaraMicro nodeA;
    private static PayaraMicro nodeB;
    private static int gridPortA;

    @BeforeAll
    static void startTwoGateways() throws Exception {
        Path dir = Path.of(System.getProperty("it.dir"), "grid");
        Files.createDirectories(dir);
        gridPortA = PayaraMicro.freePort();
        int gridPortB = PayaraMicro.freePort();
        String members = "127.0.0.1:" + gridPortA + ",127.0.0.1:" + gridPortB;
        ExecutorService starts = Executors.newFixedThreadPool(2);
        try {
            Future<PayaraMicro> a = starts.submit(() -> start(dir.resolve("a"), members, gridPortA));
            Future<PayaraMicro> b = starts.submit(() -> start(dir.resolve("b"), members, gridPortB));
            nodeA = a.get();
            nodeB = b.get();
        } finally {
            starts.shutdown();
        }
        nodeA.awaitReady(() -> nodeA.logText().contains("DG Size: 2"));
    }

    private static PayaraMicro start(Path dir, String members, int gridPort) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> environment = new HashMap<>(Map.of(
                "GATEWAY_CLUSTER_MEMBERS", members,
                "GATEWAY_CLUSTER_PORT", Integer.toString(gridPort),
                "GATEWAY_CLUSTER_NAME", "grid-it",
                // Long enough that the lockout outlasts the test; each node keeps its own audit file.
                "GATEWAY_LOGIN_COOL_DOWN_SECONDS", "300",
                "GATEWAY_AUDIT_FILE", dir.resolve("audit.%g.log").toString()));
        long started = System.nanoTime();
        PayaraMicro payara = PayaraMicro.startAndAwaitLogin(Path.of(System.getProperty("it.war")), "/", environment,
                dir.resolve("payara.log"));
        System.out.println("GridIT: gateway " + dir.getFileName() + " answered its login challenge after "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        return payara;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (PayaraMicro node : new PayaraMicro[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void aNameLockedOnOneGatewayIsLockedOnTheOther() throws Exception {
        String studiesOnA = nodeA.url() + "/pacs/studies";
        String studiesOnB = nodeB.url() + "/pacs/studies";
        String wrong = Http.basic(LOCKOUT_VICTIM, "not-the-password");
        int status = 401;
        for (int i = 0; i < 10 && status == 401; i++) {
            status = Http.get(studiesOnA, wrong, DICOM_JSON).statusCode();
        }
        assertEquals(429, status, "gateway A refuses the name after repeated failures");

        assertEquals(429, Http.get(studiesOnB, authorization(LOCKOUT_VICTIM), DICOM_JSON).statusCode(),
                "gateway B refuses it too, even with the right password");
        assertEquals(200, Http.get(studiesOnB, authorization(VIEWER), DICOM_JSON).statusCode(),
                "other users go on through gateway B");
    }

    @Test
    void theGridListensOnTheNamedInterfaceOnly() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gridPortA), 5_000);
        }
        // Another loopback address: a grid bound to every interface would answer there as well.
        assertThrows(IOException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", gridPortA), 5_000);
            }
        });
    }
}
