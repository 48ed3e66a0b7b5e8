package org.ohifgateway.tools.demo;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Synthetic, clearly labelled studies of a mathematical head phantom: a CT volume and an MR
 * series with full geometry (so OHIF's MPR works) and a single radiograph. Everything, UIDs
 * included, is derived from a seed name, so generating again gives the same bytes and loading
 * again stores nothing new. Instances are made one at a time, so a series of any size can be
 * streamed without holding it in memory.
 */
public final class SyntheticStudies {

    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
    static final String CR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.1";

    /** A series: its name, instance count, and a generator of instance i (0-based) as a Part 10 file. */
    public record Series(String description, int size, IntFunction<byte[]> instance) {

        /** Every instance, generated now: for test-sized series. */
        public List<byte[]> instances() {
            List<byte[]> files = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                files.add(instance.apply(i));
            }
            return files;
        }
    }

    private SyntheticStudies() {
    }

    /** The studies the demo loads. */
    public static List<Series> demo() {
        return List.of(
                ct("demo-ct", "DEMO^Synthetic CT Phantom", "DEMO-0001", "20240314", 64, 256, 256),
                mr("demo-mr", "DEMO^Synthetic MR Phantom", "DEMO-0002", "20231102", 24, 192),
                cr("demo-cr", "DEMO^Synthetic CR Phantom", "DEMO-0003", "20250120", 512));
    }

    /** A CT series of the given size for tests, one study per seed name. */
    public static List<byte[]> ctSeries(String seed, int slices, int rows, int cols) {
        return ct(seed, "TEST^" + seed, "TEST-" + Integer.toHexString(seed.hashCode()), "20240101",
                slices, rows, cols).instances();
    }

    /** Axial CT of the head phantom, 2.5 mm slices centred on the head, 230 mm field of view. */
    public static Series ct(String seed, String patientName, String patientId, String date,
                            int slices, int rows, int cols) {
        double spacing = 230.0 / Math.max(rows, cols);
        double thickness = 2.5;
        return new Series("CT head phantom", slices, i -> {
            double z = (i - (slices - 1) / 2.0) * thickness;
            short[] pixels = new short[rows * cols];
            for (int r = 0; r < rows; r++) {
                double y = (r - rows / 2.0) * spacing;
                for (int c = 0; c < cols; c++) {
                    double x = (c - cols / 2.0) * spacing;
                    int hu = (int) Math.round(HeadPhantom.ct(x, y, z));
                    pixels[r * cols + c] = (short) Math.max(0, Math.min(4095, hu + 1024));
                }
            }
            Study study = new Study(seed, patientName, patientId, date, "CT", "Synthetic head phantom CT");
            return study.instance(i, CT_IMAGE_STORAGE, "Axial 2.5 mm", rows, cols, pixels)
                    .text(0x00180050, "DS", ds(thickness))
                    .text(0x00180088, "DS", ds(thickness))
                    .text(0x00200032, "DS", ds(-cols / 2.0 * spacing) + "\\" + ds(-rows / 2.0 * spacing) + "\\" + ds(z))
                    .text(0x00200037, "DS", "1\\0\\0\\0\\1\\0")
                    .text(0x00201041, "DS", ds(z))
                    .text(0x00280030, "DS", ds(spacing) + "\\" + ds(spacing))
                    .text(0x00281050, "DS", "40")
                    .text(0x00281051, "DS", "400")
                    .text(0x00281052, "DS", "-1024")
                    .text(0x00281053, "DS", "1")
                    .toPart10(CT_IMAGE_STORAGE, study.instanceUid(i));
        });
    }

    /** Sagittal T1-like MR of the head phantom, 4 mm slices. */
    public static Series mr(String seed, String patientName, String patientId, String date, int slices, int size) {
        double spacing = 240.0 / size;
        double thickness = 4.0;
        return new Series("MR head phantom", slices, i -> {
            double x = (i - (slices - 1) / 2.0) * thickness;
            short[] pixels = new short[size * size];
            for (int r = 0; r < size; r++) {
                double z = 120 - r * spacing;
                for (int c = 0; c < size; c++) {
                    double y = -120 + c * spacing;
                    pixels[r * size + c] = (short) Math.round(HeadPhantom.mr(x, y, z));
                }
            }
            Study study = new Study(seed, patientName, patientId, date, "MR", "Synthetic head phantom MR");
            return study.instance(i, MR_IMAGE_STORAGE, "Sagittal T1 4 mm", size, size, pixels)
                    .text(0x00180050, "DS", ds(thickness))
                    .text(0x00180088, "DS", ds(thickness))
                    .text(0x00200032, "DS", ds(x) + "\\-120\\120")
                    .text(0x00200037, "DS", "0\\1\\0\\0\\0\\-1")
                    .text(0x00201041, "DS", ds(x))
                    .text(0x00280030, "DS", ds(spacing) + "\\" + ds(spacing))
                    .text(0x00281050, "DS", "500")
                    .text(0x00281051, "DS", "1000")
                    .toPart10(MR_IMAGE_STORAGE, study.instanceUid(i));
        });
    }

    /** One radiograph: a step wedge and a row of discs. */
    public static Series cr(String seed, String patientName, String patientId, String date, int size) {
        return new Series("CR phantom", 1, i -> {
            short[] pixels = new short[size * size];
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) {
                    int wedge = (c * 8 / size) * 400 + 600;
                    double dx = (c % (size / 4)) - size / 8.0;
                    double dy = r - size * 0.7;
                    boolean disc = dx * dx + dy * dy < (size / 16.0) * (size / 16.0);
                    int value = r < size / 2 ? wedge : disc ? 3600 : 300 + r;
                    pixels[r * size + c] = (short) Math.min(4095, value);
                }
            }
            Study study = new Study(seed, patientName, patientId, date, "CR", "Synthetic radiograph phantom");
            return study.instance(i, CR_IMAGE_STORAGE, "Step wedge", size, size, pixels)
                    .text(0x00280030, "DS", "0.2\\0.2")
                    .text(0x00281050, "DS", "2048")
                    .text(0x00281051, "DS", "4096")
                    .toPart10(CR_IMAGE_STORAGE, study.instanceUid(i));
        });
    }

    /** A DICOM UID under the 2.25 (UUID-derived) root, from a name: same name, same UID. */
    public static String uid(String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            byte[] first128 = new byte[16];
            System.arraycopy(hash, 0, first128, 0, 16);
            return "2.25." + new BigInteger(1, first128);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private static String ds(double value) {
        String text = String.format(java.util.Locale.ROOT, "%.4f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
        return text.equals("-0") ? "0" : text;
    }

    /** Patient, study and series attributes shared by every instance of one series. */
    private record Study(String seed, String patientName, String patientId, String date, String modality,
                         String description) {

        String instanceUid(int index) {
            return uid(seed + "/instance/" + index);
        }

        DicomWriter instance(int index, String sopClass, String seriesDescription, int rows, int cols, short[] pixels) {
            return new DicomWriter()
                    .text(0x00080005, "CS", "ISO_IR 100")
                    .text(0x00080016, "UI", sopClass)
                    .text(0x00080018, "UI", instanceUid(index))
                    .text(0x00080020, "DA", date)
                    .text(0x00080021, "DA", date)
                    .text(0x00080030, "TM", "093000")
                    .text(0x00080031, "TM", "093000")
                    .text(0x00080050, "SH", "ACC-" + patientId)
                    .text(0x00080060, "CS", modality)
                    .text(0x00080070, "LO", "ohif-gateway synthetic data")
                    .text(0x00080090, "PN", "")
                    .text(0x00081030, "LO", description)
                    .text(0x0008103E, "LO", seriesDescription)
                    .text(0x00100010, "PN", patientName)
                    .text(0x00100020, "LO", patientId)
                    .text(0x00100030, "DA", "19700101")
                    .text(0x00100040, "CS", "O")
                    .text(0x0020000D, "UI", uid(seed + "/study"))
                    .text(0x0020000E, "UI", uid(seed + "/series"))
                    .text(0x00200010, "SH", "1")
                    .text(0x00200011, "IS", "1")
                    .text(0x00200013, "IS", Integer.toString(index + 1))
                    .text(0x00200052, "UI", uid(seed + "/frame-of-reference"))
                    .text(0x00201040, "LO", "")
                    .unsignedShort(0x00280002, 1)
                    .text(0x00280004, "CS", "MONOCHROME2")
                    .unsignedShort(0x00280010, rows)
                    .unsignedShort(0x00280011, cols)
                    .unsignedShort(0x00280100, 16)
                    .unsignedShort(0x00280101, 12)
                    .unsignedShort(0x00280102, 11)
                    .unsignedShort(0x00280103, 0)
                    .pixelData(pixels);
        }
    }
}
