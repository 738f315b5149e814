package io.ranker.explore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15 item 12: the kill switch (and a surface pause) survives a restart; a damaged switches file explores nothing. */
class SwitchPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void theKillSwitchAndPausesSurviveARestart() throws Exception {
        ExplorationControl before = new ExplorationControl(new FileSwitchStore(dir, Clock.systemUTC()));
        SurfaceExplorer feed = before.configure("feed", ExplorerConfig.DISABLED);
        before.setKillSwitch(true, "ops");
        before.setPaused("search", true, "ops");
        assertThat(feed.name()).isEqualTo("none(kill-switch)");

        ExplorationControl after = new ExplorationControl(new FileSwitchStore(dir, Clock.systemUTC()));
        assertThat(after.killSwitch().engaged()).as("a restart does not silently resume exploration").isTrue();
        assertThat(after.switches().pausedSurfaces()).containsExactly("search");
        assertThat(after.switches().changedBy()).isEqualTo("ops");
        after.setKillSwitch(false, "ops");
        assertThat(after.configure("search", ExplorerConfig.DISABLED).name()).isEqualTo("none(paused)");
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(3);

        ExplorationControl again = new ExplorationControl(new FileSwitchStore(dir, Clock.systemUTC()));
        assertThat(again.killSwitch().engaged()).isFalse();
    }

    @Test
    void aDamagedSwitchesFileKeepsExplorationOff() throws Exception {
        Files.writeString(dir.resolve("switches.json"), "{not json");
        ExplorationControl c = new ExplorationControl(new FileSwitchStore(dir, Clock.systemUTC()));
        assertThat(c.killSwitch().engaged()).isTrue();
        assertThat(c.status()).containsKey("error");
    }
}
