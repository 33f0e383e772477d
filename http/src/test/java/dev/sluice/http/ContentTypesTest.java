package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            index.html   | text/html; charset=utf-8
            INDEX.HTM    | text/html; charset=utf-8
            site.css     | text/css; charset=utf-8
            app.js       | text/javascript; charset=utf-8
            mod.mjs      | text/javascript; charset=utf-8
            data.json    | application/json; charset=utf-8
            app.js.map   | application/json; charset=utf-8
            notes.txt    | text/plain; charset=utf-8
            README.md    | text/markdown; charset=utf-8
            feed.xml     | application/xml; charset=utf-8
            logo.svg     | image/svg+xml; charset=utf-8
            a.png        | image/png
            a.jpg        | image/jpeg
            a.JPEG       | image/jpeg
            a.gif        | image/gif
            a.webp       | image/webp
            a.avif       | image/avif
            favicon.ico  | image/vnd.microsoft.icon
            a.bmp        | image/bmp
            a.tiff       | image/tiff
            f.woff       | font/woff
            f.woff2      | font/woff2
            f.ttf        | font/ttf
            f.otf        | font/otf
            f.eot        | application/vnd.ms-fontobject
            v.mp4        | video/mp4
            v.webm       | video/webm
            a.ogg        | audio/ogg
            a.mp3        | audio/mpeg
            a.wav        | audio/wav
            a.flac       | audio/flac
            a.m4a        | audio/mp4
            a.aac        | audio/aac
            doc.pdf      | application/pdf
            a.zip        | application/zip
            a.tar.gz     | application/gzip
            a.br         | application/x-brotli
            a.tar        | application/x-tar
            m.wasm       | application/wasm
            t.csv        | text/csv; charset=utf-8
            t.tsv        | text/tab-separated-values; charset=utf-8
            c.yaml       | application/yaml; charset=utf-8
            c.yml        | application/yaml; charset=utf-8
            c.toml       | application/toml; charset=utf-8
            cal.ics      | text/calendar; charset=utf-8
            book.epub    | application/epub+zip
            d.rtf        | application/rtf
            d.doc        | application/msword
            d.docx       | application/vnd.openxmlformats-officedocument.wordprocessingml.document
            d.xls        | application/vnd.ms-excel
            d.xlsx       | application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
            d.ppt        | application/vnd.ms-powerpoint
            d.pptx       | application/vnd.openxmlformats-officedocument.presentationml.presentation
            site.webmanifest | application/manifest+json; charset=utf-8
            """)
    void mapsCommonExtensions(String name, String type) {
        assertThat(ContentTypes.of(name)).as(name).isEqualTo(type);
    }

    @Test
    void unknownOrMissingExtensionIsOctetStream() {
        assertThat(ContentTypes.of("Makefile")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.of("archive.xyz")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.of("trailing.")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.of(".bashrc")).isEqualTo("application/octet-stream");
    }
}
