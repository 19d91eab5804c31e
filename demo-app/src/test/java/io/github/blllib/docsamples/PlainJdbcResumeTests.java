package io.github.blllib.docsamples;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineException;
import io.github.blllib.PipelineRun;
import io.github.blllib.StageSpec;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link PlainJdbcResume}, the example of docs/resume.md: a run that crashes part-way (a stage
 * fails on one word) and is started again stores every output exactly once.
 */
class PlainJdbcResumeTests {

	/** Words, blank lines among them, that the pipeline lowercases, drops when blank and pairs up. */
	private static final List<String> LINES = IntStream.range(0, 500)
		.mapToObj((i) -> (i % 7 == 3) ? " " : "Word" + i)
		.toList();

	@TempDir
	private Path directory;

	@ParameterizedTest
	@ValueSource(strings = { "word1", "word2", "word41", "word42", "word250", "word499" })
	void runThatCrashedAndStartedAgainStoresEveryOutputOnce(String crashAt) throws SQLException {
		String url = "jdbc:h2:file:" + this.directory.resolve("db").toAbsolutePath();
		try (Connection db = DriverManager.getConnection(url, "sa", "");
				Pipeline<String, String> crashing = pairs(crashAt);
				Pipeline<String, String> pipeline = pairs(null)) {
			assertThatExceptionOfType(PipelineException.class)
				.isThrownBy(() -> PlainJdbcResume.run(db, crashing, LINES, 20));
			PlainJdbcResume.run(db, pipeline, LINES, 20);
			assertThat(stored(db)).isEqualTo(expected());
		}
	}

	/** Lowercases the words, drops blank lines and joins each two neighbours; fails on {@code crashAt}. */
	private static Pipeline<String, String> pairs(String crashAt) {
		return Pipeline.<String>builder("pairs")
			.then(StageSpec.stateless("lowercase", (String line) -> {
				String word = line.strip().toLowerCase();
				if (word.equals(crashAt)) {
					throw new IllegalStateException("crash at " + word);
				}
				return word.isEmpty() ? null : word;
			}).batchSize(8))
			.then(StageSpec.window("pair", 2, (List<String> pair) -> pair.get(0) + " " + pair.get(1)).batchSize(8))
			.build();
	}

	private static List<String> expected() {
		try (Pipeline<String, String> pipeline = pairs(null); PipelineRun<String> run = pipeline.apply(LINES)) {
			return run.stream().toList();
		}
	}

	private static List<String> stored(Connection db) throws SQLException {
		List<String> outputs = new ArrayList<>();
		try (Statement query = db.createStatement();
				ResultSet rows = query.executeQuery("select output from outputs order by _rowid_")) {
			while (rows.next()) {
				outputs.add(rows.getString(1));
			}
		}
		return outputs;
	}

}
