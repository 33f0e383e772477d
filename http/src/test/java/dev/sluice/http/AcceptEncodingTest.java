package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptEncodingTest {

    @ParameterizedTest(name = "[{index}] {0} with br={1} gzip={2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            gzip, deflate, br, zstd     | true  | true  | br
            gzip, deflate               | true  | true  | gzip
            br                          | false | true  | -
            br;q=0, gzip                | true  | true  | gzip
            br;q=0.5, gzip;q=1          | true  | true  | gzip
            BR;Q=0.9, GZIP;q=0.8        | true  | true  | br
            x-gzip                      | true  | true  | gzip
            *                           | true  | true  | br
            *;q=0                       | true  | true  | -
            *;q=0, gzip                 | true  | true  | gzip
            identity                    | true  | true  | -
            identity;q=1, br;q=0.5      | true  | true  | -
            identity;q=0, br;q=0.5      | true  | true  | br
            br;q=1.0                    | true  | false | br
            br;q=0.000                  | true  | false | -
            br;q=2                      | true  | false | -
            br;q=abc                    | true  | false | -
            br; q = 0.5                 | true  | false | br
            gzip                        | false | false | -
            ''                          | true  | true  | -
            """)
    void honoursQValues(String header, boolean br, boolean gzip, String expected) {
        assertThat(AcceptEncoding.choose(List.of(header), br, gzip)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"true,true", "true,false", "false,true"})
    void noFieldMeansIdentity(boolean br, boolean gzip) {
        assertThat(AcceptEncoding.choose(List.of(), br, gzip)).isNull();
    }
}
