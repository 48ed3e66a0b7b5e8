package org.ohifgateway.tools.demo;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes DICOM Part 10 files in Explicit VR Little Endian: just the value representations the
 * demo and test data need (text VRs, US, and 16-bit OW pixel data).
 */
public final class DicomWriter {

    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String IMPLEMENTATION_CLASS_UID = "2.25.302180349744939713018474394327398052171";

    private static final Set<String> TEXT_VRS = Set.of("AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT",
            "PN", "SH", "ST", "TM", "UI");
    private static final Set<String> LONG_LENGTH_VRS = Set.of("OB", "OW", "SQ", "UN", "UT");

    /** Elements by tag (group << 16 | element); a TreeMap keeps them in ascending order. */
    private final Map<Integer, byte[]> elements = new TreeMap<>(Integer::compareUnsigned);

    public DicomWriter text(int tag, String vr, String value) {
        if (!TEXT_VRS.contains(vr)) {
            throw new IllegalArgumentException("not a text VR: " + vr);
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length % 2 == 1) {
            byte[] padded = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, padded, 0, bytes.length);
            padded[bytes.length] = (byte) (vr.equals("UI") ? 0 : ' ');
            bytes = padded;
        }
        return put(tag, vr, bytes);
    }

    public DicomWriter unsignedShort(int tag, int value) {
        return put(tag, "US", ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
    }

    public DicomWriter pixelData(short[] pixels) {
        ByteBuffer buffer = ByteBuffer.allocate(pixels.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asShortBuffer().put(pixels);
        return put(0x7FE00010, "OW", buffer.array());
    }

    /** The complete file: preamble, "DICM", file meta information, then the data set. */
    public byte[] toPart10(String sopClassUid, String sopInstanceUid) {
        DicomWriter meta = new DicomWriter()
                .put(0x00020001, "OB", new byte[] {0, 1})
                .text(0x00020002, "UI", sopClassUid)
                .text(0x00020003, "UI", sopInstanceUid)
                .text(0x00020010, "UI", EXPLICIT_VR_LITTLE_ENDIAN)
                .text(0x00020012, "UI", IMPLEMENTATION_CLASS_UID)
                .text(0x00020013, "SH", "OHIFGW_DEMO");
        byte[] metaBody = meta.encode();
        ByteArrayOutputStream out = new ByteArrayOutputStream(metaBody.length + 256);
        out.writeBytes(new byte[128]);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(element(0x00020000, "UL",
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(metaBody.length).array()));
        out.writeBytes(metaBody);
        out.writeBytes(encode());
        return out.toByteArray();
    }

    private DicomWriter put(int tag, String vr, byte[] value) {
        elements.put(tag, element(tag, vr, value));
        return this;
    }

    private byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        elements.values().forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] element(int tag, String vr, byte[] value) {
        boolean longLength = LONG_LENGTH_VRS.contains(vr);
        ByteBuffer buffer = ByteBuffer.allocate((longLength ? 12 : 8) + value.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII));
        if (longLength) {
            buffer.putShort((short) 0).putInt(value.length);
        } else {
            buffer.putShort((short) value.length);
        }
        return buffer.put(value).array();
    }
}
