package org.ohifgateway.tools.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticStudiesTest {

    @Test
    void sameSeedSameBytesOtherSeedOtherStudy() {
        List<byte[]> first = SyntheticStudies.ctSeries("unit", 3, 32, 32);
        assertEquals(3, first.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first.get(i), SyntheticStudies.ctSeries("unit", 3, 32, 32).get(i));
        }
        assertNotEquals(SyntheticStudies.uid("unit/study"), SyntheticStudies.uid("other/study"));
    }

    @Test
    void uidsFollowTheDicomGrammar() {
        for (String name : List.of("a", "demo-ct/study", "x/instance/0", "")) {
            String uid = SyntheticStudies.uid(name);
            assertTrue(uid.length() <= 64, uid);
            assertTrue(uid.matches("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*"), uid);
        }
    }

    @Test
    void part10StructureIsValid() {
        byte[] file = SyntheticStudies.ctSeries("structure", 1, 16, 16).get(0);
        assertEquals("DICM", new String(file, 128, 4, StandardCharsets.US_ASCII));
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0002, buffer.getShort(132));
        assertEquals(0x0000, buffer.getShort(134));
        int metaLength = buffer.getInt(140);
        int position = 144;
        int previous = -1;
        boolean inMeta = true;
        while (position < file.length) {
            int tag = (buffer.getShort(position) & 0xffff) << 16 | buffer.getShort(position + 2) & 0xffff;
            if (inMeta && tag >>> 16 != 2) {
                assertEquals(144 + metaLength, position, "meta group length counts the meta elements");
                inMeta = false;
                previous = -1;
            }
            assertTrue(Integer.compareUnsigned(tag, previous) > 0 || previous == -1, "ascending tags");
            String vr = new String(file, position + 4, 2, StandardCharsets.US_ASCII);
            boolean longLength = List.of("OB", "OW", "SQ", "UN", "UT").contains(vr);
            int length = longLength ? buffer.getInt(position + 8) : buffer.getShort(position + 6) & 0xffff;
            assertEquals(0, length % 2, "even length of " + Integer.toHexString(tag));
            position += (longLength ? 12 : 8) + length;
            previous = tag;
        }
        assertEquals(file.length, position);
        assertEquals(0x7FE00010, previous, "pixel data last");
    }

    @Test
    void slicesOfTheVolumeDiffer() {
        List<byte[]> slices = SyntheticStudies.ctSeries("volume", 9, 64, 64);
        assertNotEquals(List.of(slices.get(2)), List.of(slices.get(4)));
        assertTrue(!java.util.Arrays.equals(tail(slices.get(2)), tail(slices.get(4))));
    }

    @Test
    void dcmdumpReadsTheFiles(@TempDir Path dir) throws Exception {
        boolean haveDcmdump = Files.isExecutable(Path.of("/usr/bin/dcmdump"));
        assumeTrue(haveDcmdump || "true".equals(System.getenv("CI")), "dcmdump (dcmtk) is not installed");
        for (SyntheticStudies.Series series : SyntheticStudies.demo()) {
            Path file = dir.resolve("instance.dcm");
            Files.write(file, series.instance().apply(0));
            Process dump = new ProcessBuilder("dcmdump", "-E", file.toString()).redirectErrorStream(true).start();
            String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(dump.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, dump.exitValue(), output);
            assertTrue(output.contains("(0010,0010) PN [DEMO^Synthetic"), output);
            assertTrue(output.contains("(7fe0,0010) OW"), output);
            assertTrue(!output.contains("W: ") && !output.contains("E: "), output);
        }
    }

    private static byte[] tail(byte[] file) {
        return java.util.Arrays.copyOfRange(file, file.length - 8192, file.length);
    }
}
