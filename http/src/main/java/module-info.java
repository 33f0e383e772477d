/** Sluice HTTP/1.1: a sans-I/O codec, the handler API and a router, served by any core engine. */
module dev.sluice.http {
    requires transitive dev.sluice.core;
    exports dev.sluice.http;
}
