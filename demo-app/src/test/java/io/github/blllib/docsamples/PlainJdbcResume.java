package io.github.blllib.docsamples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineRun;

/**
 * Resuming a job in plain Java and JDBC, the example docs/resume.md shows (region plain-jdbc-resume): every chunk of
 * outputs is stored in one transaction together with {@link PipelineRun#position()}, and a
 * start feeds only the inputs from the stored position on.
 */
public final class PlainJdbcResume {

	private PlainJdbcResume() {
	}

	/** Feeds {@code inputs[position..]} through {@code pipeline}, storing each chunk with the position. */
	// tag::plain-jdbc-resume[]
	public static void run(Connection db, Pipeline<String, String> pipeline, List<String> inputs, int chunkSize)
			throws SQLException {
		db.setAutoCommit(false);
		try (Statement ddl = db.createStatement()) {
			ddl.execute("create table if not exists outputs (output varchar(1000) not null)");
			ddl.execute("create table if not exists job_position (id int primary key, position bigint not null)");
			ddl.execute("insert into job_position select 1, 0 where not exists (select 1 from job_position)");
		}
		db.commit();
		long start = storedPosition(db);
		try (PipelineRun<String> run = pipeline.apply(inputs.subList((int) start, inputs.size()));
				PreparedStatement insert = db.prepareStatement("insert into outputs (output) values (?)");
				PreparedStatement position = db.prepareStatement("update job_position set position = ? where id = 1")) {
			int inChunk = 0;
			while (run.hasNext()) {
				insert.setString(1, run.next());
				insert.addBatch();
				if (++inChunk == chunkSize) {
					commit(db, insert, position, start + run.position());
					inChunk = 0;
				}
			}
			// exhausted: the position is now the number of inputs read
			commit(db, insert, position, start + run.position());
		}
		catch (RuntimeException | SQLException ex) {
			db.rollback();
			throw ex;
		}
	}

	/** The chunk's outputs and the position after its last one, in one transaction. */
	private static void commit(Connection db, PreparedStatement insert, PreparedStatement position, long at)
			throws SQLException {
		insert.executeBatch();
		position.setLong(1, at);
		position.executeUpdate();
		db.commit();
	}

	private static long storedPosition(Connection db) throws SQLException {
		try (Statement query = db.createStatement();
				ResultSet row = query.executeQuery("select position from job_position where id = 1")) {
			row.next();
			return row.getLong(1);
		}
	}
	// end::plain-jdbc-resume[]

}
