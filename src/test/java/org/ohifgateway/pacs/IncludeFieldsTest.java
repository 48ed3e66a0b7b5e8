package org.ohifgateway.pacs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IncludeFieldsTest {

    @Test
    void encodedCommasInIncludefieldBecomeLiteral() {
        assertEquals("limit=101&offset=0&fuzzymatching=false&includefield=00081030,00080060",
                IncludeFields.splittable("limit=101&offset=0&fuzzymatching=false&includefield=00081030%2C00080060"));
        assertEquals("includefield=00081030,00080060&IncludeField=0020000D,00200011",
                IncludeFields.splittable("includefield=00081030%2c00080060&IncludeField=0020000D%2C00200011"));
    }

    @Test
    void otherParametersKeepTheirEncoding() {
        assertEquals("StudyDescription=Head%2C%20neck&includefield=00081030,00080060",
                IncludeFields.splittable("StudyDescription=Head%2C%20neck&includefield=00081030%2C00080060"));
        assertEquals("xincludefield=a%2Cb", IncludeFields.splittable("xincludefield=a%2Cb"));
        assertEquals("PatientName=DOE*", IncludeFields.splittable("PatientName=DOE*"));
        assertEquals("", IncludeFields.splittable(""));
    }
}
