package dev.okube.auth.tokenfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.okube.api.admission.UserInfo;
import dev.okube.api.authentication.AuthenticationRequest;
import dev.okube.api.authentication.AuthenticationResult;
import dev.okube.api.authentication.AuthenticationResult.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    @TempDir
    Path dir;

    static AuthenticationResult bearer(TokenFileAuthenticator authenticator, String token) {
        return authenticator.authenticate(new AuthenticationRequest(
                Map.of("authorization", List.of("Bearer " + token)), List.of(), "127.0.0.1"));
    }

    @Test
    void parsesUpstreamsCsvFormat() {
        Map<String, UserInfo> tokens = TokenFile.parse("""
                # token,user,uid,"group1,group2"
                31ada4fd-adec-460c-809a-9e56ceb75269,alice,1001,"dev,ops"
                  t2, bob ,1002,admins
                t3,carol,1003
                "t,4",dave,1004,"a ""quoted"" group,b"
                """, "test");
        assertEquals(new UserInfo("alice", "1001", List.of("dev", "ops"), Map.of()),
                tokens.get("31ada4fd-adec-460c-809a-9e56ceb75269"));
        assertEquals(new UserInfo("bob ", "1002", List.of("admins"), Map.of()),
                tokens.get("t2"), "leading spaces are trimmed, as encoding/csv with TrimLeadingSpace");
        assertEquals(new UserInfo("carol", "1003", List.of(), Map.of()), tokens.get("t3"));
        assertEquals(List.of("a \"quoted\" group", "b"), tokens.get("t,4").groups());
        assertEquals(4, tokens.size());
    }

    @Test
    void badLinesAreSkippedAndTheRestIsKept() {
        Map<String, UserInfo> tokens = TokenFile.parse("""
                good1,alice,1
                onlytwo,columns
                ,nobody,3
                "unterminated,x,4
                bad"quote,y,5
                tok6,,6
                good2,bob,7
                good2,bobby,8
                """, "test");
        assertEquals(List.of("good1", "good2"), tokens.keySet().stream().sorted().toList());
        assertEquals("bobby", tokens.get("good2").name(), "a duplicate token: the later line wins");
    }

    @Test
    void csvFieldsFollowEncodingCsv() {
        assertEquals(List.of("a", "b", "", "c"), TokenFile.csv("a,b,,c"));
        assertEquals(List.of("x,y", "z"), TokenFile.csv("\"x,y\",z"));
        assertEquals(List.of(""), TokenFile.csv(""));
        assertThrows(IllegalArgumentException.class, () -> TokenFile.csv("\"a\"b,c"));
    }

    @Test
    void anAbsentFileKnowsNoTokensUntilItAppears() throws IOException {
        Path path = dir.resolve("tokens.csv");
        TokenFileAuthenticator authenticator = new TokenFileAuthenticator(new TokenFile(path));
        assertEquals(Outcome.NO_OPINION, bearer(authenticator, "secret").outcome());
        Files.writeString(path, "secret,alice,1001,dev\n");
        AuthenticationResult result = bearer(authenticator, "secret");
        assertEquals(Outcome.AUTHENTICATED, result.outcome());
        assertEquals("alice", result.user().name());
        assertEquals(List.of("dev"), result.user().groups());
    }

    @Test
    void aChangedFileIsReadAgainAtTheNextRequest() throws IOException {
        Path path = dir.resolve("tokens.csv");
        Files.writeString(path, "old,alice,1\n");
        TokenFileAuthenticator authenticator = new TokenFileAuthenticator(new TokenFile(path));
        assertEquals(Outcome.AUTHENTICATED, bearer(authenticator, "old").outcome());

        Files.writeString(path, "new,bob,2\n");
        // Same size: make sure the modification time differs even on coarse file systems.
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(Outcome.NO_OPINION, bearer(authenticator, "old").outcome());
        assertEquals("bob", bearer(authenticator, "new").user().name());

        Files.delete(path);
        assertEquals(Outcome.NO_OPINION, bearer(authenticator, "new").outcome());
    }

    @Test
    void requestsWithoutABearerTokenAreNotItsBusiness() throws IOException {
        Path path = dir.resolve("tokens.csv");
        Files.writeString(path, "t,alice,1\n");
        TokenFileAuthenticator authenticator = new TokenFileAuthenticator(new TokenFile(path));
        assertEquals(Outcome.NO_OPINION, authenticator.authenticate(
                new AuthenticationRequest(Map.of(), List.of(), "")).outcome());
        assertEquals(Outcome.NO_OPINION, authenticator.authenticate(new AuthenticationRequest(
                Map.of("authorization", List.of("Basic dDp0")), List.of(), "")).outcome());
        assertEquals("tokenfile", authenticator.name());
    }

    @Test
    void theShippedExampleHasNoActiveToken() throws IOException {
        Path example = Path.of("../../karaf-distribution/src/main/resources/assembly/etc/okube-tokens.csv");
        assertTrue(Files.exists(example), example.toAbsolutePath().toString());
        assertEquals(Map.of(), TokenFile.parse(Files.readString(example), example.toString()));
    }
}
