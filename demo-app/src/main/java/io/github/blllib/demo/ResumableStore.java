package io.github.blllib.demo;

import java.util.List;

import io.github.blllib.demo.ResumablePipeline.Output;

import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where the resumable job keeps its outputs and its checkpoint: the position to restart from
 * and the running total's state, both written in the transaction that stores a chunk of
 * outputs, so that a crash keeps either all three or none.
 */
@Component
@Profile(ResumableJob.PROFILE)
public class ResumableStore {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	public ResumableStore(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	/** Creates the tables and the first checkpoint (position 0, total 0) unless they exist. */
	public void createTablesIfAbsent() {
		this.transaction.executeWithoutResult((status) -> {
			this.jdbc.execute("create table if not exists resumable_outputs "
					+ "(n bigint not null, difference bigint not null, total bigint not null)");
			this.jdbc.execute("create table if not exists resumable_checkpoint "
					+ "(id int primary key, position bigint not null, total bigint not null)");
			this.jdbc.update("insert into resumable_checkpoint (id, position, total) "
					+ "select 1, 0, 0 where not exists (select 1 from resumable_checkpoint)");
		});
	}

	/** The last checkpoint stored. */
	public Checkpoint checkpoint() {
		return this.jdbc.queryForObject("select position, total from resumable_checkpoint where id = 1",
				(row, rowNumber) -> new Checkpoint(row.getLong(1), row.getLong(2)));
	}

	/** Stores {@code outputs} and {@code checkpoint} in one transaction. */
	public void store(List<Output> outputs, Checkpoint checkpoint) {
		this.transaction.executeWithoutResult((status) -> {
			this.jdbc.batchUpdate("insert into resumable_outputs (n, difference, total) values (?, ?, ?)", outputs,
					outputs.size(), (statement, output) -> {
						statement.setLong(1, output.n());
						statement.setLong(2, output.difference());
						statement.setLong(3, output.total());
					});
			this.jdbc.update("update resumable_checkpoint set position = ?, total = ? where id = 1",
					checkpoint.position(), checkpoint.total());
		});
	}

	/** Outputs stored so far. */
	public long outputCount() {
		return this.jdbc.queryForObject("select count(*) from resumable_outputs", Long.class);
	}

	/**
	 * Where to restart.
	 * @param position the first input to feed again: the run's position after the last stored output
	 * @param total the running total's state as of the last stored output
	 */
	public record Checkpoint(long position, long total) {
	}

}
