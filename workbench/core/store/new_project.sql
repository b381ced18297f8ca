-- schema 7: written by python -m workbench.core.store.snapshot; do not edit
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE engagement (
	id INTEGER NOT NULL,
	uuid VARCHAR(36) NOT NULL,
	client TEXT,
	consultant TEXT,
	start_date DATE,
	end_date DATE,
	target_step INTEGER,
	min_group_size INTEGER,
	description TEXT,
	created DATETIME NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE person (
	id INTEGER NOT NULL,
	person_id VARCHAR(200) NOT NULL,
	name TEXT,
	email TEXT,
	department TEXT,
	role TEXT,
	manager_id VARCHAR(200),
	location TEXT,
	customer_facing BOOLEAN,
	segment TEXT,
	attributes JSON,
	PRIMARY KEY (id),
	UNIQUE (person_id)
);

CREATE TABLE network (
	id INTEGER NOT NULL,
	name VARCHAR(200) NOT NULL,
	type VARCHAR(100),
	date DATE,
	directed BOOLEAN,
	source_file TEXT,
	PRIMARY KEY (id),
	UNIQUE (name)
);

CREATE TABLE tie (
	id INTEGER NOT NULL,
	network_id INTEGER NOT NULL,
	source VARCHAR(200) NOT NULL,
	target VARCHAR(200) NOT NULL,
	weight FLOAT,
	PRIMARY KEY (id),
	FOREIGN KEY(network_id) REFERENCES network (id)
);

CREATE INDEX ix_tie_network ON tie (network_id);

CREATE TABLE template (
	id INTEGER NOT NULL,
	template_key VARCHAR(200) NOT NULL,
	version INTEGER NOT NULL,
	title TEXT,
	source TEXT NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (template_key, version)
);

CREATE TABLE assessment_round (
	id INTEGER NOT NULL,
	template_id INTEGER NOT NULL,
	name TEXT NOT NULL,
	date DATE,
	status VARCHAR(40),
	PRIMARY KEY (id),
	FOREIGN KEY(template_id) REFERENCES template (id)
);

CREATE TABLE respondent (
	id INTEGER NOT NULL,
	round_id INTEGER NOT NULL,
	code VARCHAR(200) NOT NULL,
	name TEXT,
	role TEXT,
	department TEXT,
	anonymous BOOLEAN, position VARCHAR(200) DEFAULT '',
	PRIMARY KEY (id),
	UNIQUE (round_id, code),
	FOREIGN KEY(round_id) REFERENCES assessment_round (id)
);

CREATE TABLE answer (
	id INTEGER NOT NULL,
	respondent_id INTEGER NOT NULL,
	question_id VARCHAR(200) NOT NULL,
	value JSON,
	PRIMARY KEY (id),
	UNIQUE (respondent_id, question_id),
	FOREIGN KEY(respondent_id) REFERENCES respondent (id)
);

CREATE TABLE "plan" (
	id INTEGER NOT NULL,
	name TEXT NOT NULL,
	target_step INTEGER,
	start_date DATE,
	PRIMARY KEY (id)
);

CREATE TABLE note (
	id INTEGER NOT NULL,
	topic VARCHAR(200),
	text TEXT,
	created DATETIME NOT NULL,
	PRIMARY KEY (id)
);

CREATE TABLE setting (
	id INTEGER NOT NULL,
	"key" VARCHAR(200) NOT NULL,
	value JSON,
	PRIMARY KEY (id),
	UNIQUE ("key")
);

CREATE TABLE analysis_cache (
	id INTEGER NOT NULL,
	network_id INTEGER NOT NULL,
	"key" VARCHAR(200) NOT NULL,
	fingerprint VARCHAR(64) NOT NULL,
	payload BLOB NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (network_id, "key")
);

CREATE TABLE workshop_session (
	id INTEGER NOT NULL,
	round_id INTEGER,
	name TEXT NOT NULL,
	anonymous BOOLEAN DEFAULT 1,
	created DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(round_id) REFERENCES assessment_round (id)
);

CREATE TABLE workshop_item (
	id INTEGER NOT NULL,
	session_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	kind VARCHAR(40) NOT NULL,
	ref VARCHAR(200) DEFAULT '',
	section TEXT DEFAULT '',
	title TEXT DEFAULT '',
	minutes FLOAT DEFAULT '3',
	PRIMARY KEY (id),
	FOREIGN KEY(session_id) REFERENCES workshop_session (id)
);

CREATE INDEX ix_workshop_item_session ON workshop_item (session_id);

CREATE TABLE workshop_vote (
	id INTEGER NOT NULL,
	item_id INTEGER NOT NULL,
	participant VARCHAR(200) NOT NULL,
	value JSON,
	"cast" DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(item_id) REFERENCES workshop_item (id)
);

CREATE INDEX ix_workshop_vote_item ON workshop_vote (item_id);

CREATE TABLE workshop_prediction (
	id INTEGER NOT NULL,
	item_id INTEGER NOT NULL,
	participant VARCHAR(200) NOT NULL,
	value JSON,
	"cast" DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(item_id) REFERENCES workshop_item (id)
);

CREATE INDEX ix_workshop_prediction_item ON workshop_prediction (item_id);

CREATE TABLE workshop_consensus (
	id INTEGER NOT NULL,
	item_id INTEGER NOT NULL,
	value JSON,
	note TEXT DEFAULT '',
	recorded DATETIME NOT NULL,
	PRIMARY KEY (id),
	UNIQUE (item_id),
	FOREIGN KEY(item_id) REFERENCES workshop_item (id)
);

CREATE TABLE workshop_note (
	id INTEGER NOT NULL,
	session_id INTEGER NOT NULL,
	item_id INTEGER,
	text TEXT DEFAULT '',
	created DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(session_id) REFERENCES workshop_session (id),
	FOREIGN KEY(item_id) REFERENCES workshop_item (id)
);

CREATE TABLE workshop_timing (
	id INTEGER NOT NULL,
	item_id INTEGER NOT NULL,
	started DATETIME NOT NULL,
	seconds FLOAT DEFAULT '0',
	PRIMARY KEY (id),
	FOREIGN KEY(item_id) REFERENCES workshop_item (id)
);

CREATE UNIQUE INDEX ux_workshop_vote_participant ON workshop_vote (item_id, participant);

CREATE UNIQUE INDEX ux_workshop_prediction_participant ON workshop_prediction (item_id, participant);

CREATE TABLE "plan_action" (
	id INTEGER NOT NULL,
	plan_id INTEGER NOT NULL,
	uid VARCHAR(40) NOT NULL,
	title TEXT NOT NULL,
	step INTEGER,
	owner TEXT,
	start DATE,
	due DATE,
	status VARCHAR(40),
	measure TEXT,
	evidence TEXT,
	depends_on TEXT,
	notes TEXT,
	source VARCHAR(100),
	position INTEGER,
	library_id VARCHAR(100) DEFAULT (''),
	kind VARCHAR(20) DEFAULT (''),
	owner_role TEXT DEFAULT (''),
	unit TEXT DEFAULT (''),
	data_source TEXT DEFAULT (''),
	flag TEXT DEFAULT (''),
	baseline FLOAT,
	target FLOAT,
	PRIMARY KEY (id),
	UNIQUE (uid),
	FOREIGN KEY(plan_id) REFERENCES "plan" (id)
);

CREATE TABLE step_gate (
	id INTEGER NOT NULL,
	plan_id INTEGER NOT NULL,
	step INTEGER NOT NULL,
	decided_on DATE NOT NULL,
	decision VARCHAR(20) NOT NULL,
	value_created TEXT DEFAULT '',
	decided_by TEXT DEFAULT '',
	snapshot JSON, history JSON DEFAULT '[]',
	PRIMARY KEY (id),
	UNIQUE (plan_id, step),
	FOREIGN KEY(plan_id) REFERENCES "plan" (id)
);

CREATE TABLE insight (
	id INTEGER NOT NULL,
	ref VARCHAR(20) NOT NULL,
	source VARCHAR(40) DEFAULT '',
	segment TEXT DEFAULT '',
	summary TEXT DEFAULT '',
	received_on DATE NOT NULL,
	received_by TEXT DEFAULT '',
	can_act TEXT DEFAULT '',
	action_taken TEXT DEFAULT '',
	acted_on DATE,
	result TEXT DEFAULT '',
	loop_closed BOOLEAN,
	via_gatekeeper BOOLEAN,
	PRIMARY KEY (id),
	UNIQUE (ref)
);

CREATE TABLE experiment (
	id INTEGER NOT NULL,
	ref VARCHAR(20) NOT NULL,
	title TEXT NOT NULL,
	stage VARCHAR(20) DEFAULT 'search',
	connects JSON DEFAULT '[]',
	value_kind VARCHAR(40) DEFAULT '',
	early_adopters TEXT DEFAULT '',
	pilot_measures TEXT DEFAULT '',
	business_case TEXT DEFAULT '',
	decision VARCHAR(40) DEFAULT '',
	decided_on DATE,
	changes JSON DEFAULT '[]',
	action_id VARCHAR(40) DEFAULT '',
	owner TEXT DEFAULT '',
	PRIMARY KEY (id),
	UNIQUE (ref)
);

CREATE TABLE customer_measure (
	id INTEGER NOT NULL,
	segment TEXT NOT NULL,
	kind VARCHAR(40) NOT NULL,
	value FLOAT NOT NULL,
	unit TEXT DEFAULT '',
	period TEXT DEFAULT '',
	source TEXT DEFAULT '',
	target FLOAT,
	PRIMARY KEY (id)
);

CREATE TABLE journey_stage (
	id INTEGER NOT NULL,
	segment TEXT NOT NULL,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	need TEXT DEFAULT '',
	feeling TEXT DEFAULT '',
	interaction TEXT DEFAULT '',
	channel TEXT DEFAULT '',
	enablers TEXT DEFAULT '',
	quality_measure TEXT DEFAULT '',
	productivity_measure TEXT DEFAULT '',
	owner TEXT DEFAULT '',
	handoff_from TEXT DEFAULT '',
	handoff_to TEXT DEFAULT '',
	handoff_break TEXT DEFAULT '',
	PRIMARY KEY (id)
);

CREATE INDEX ix_journey_stage_segment ON journey_stage (segment);

INSERT INTO alembic_version (version_num) VALUES ('0007');

