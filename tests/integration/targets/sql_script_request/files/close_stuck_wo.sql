-- Close work orders left in WAPPR by the 2024-05 migration; tested on test on 2024-06-03.
SET SCHEMA maximo;
UPDATE workorder SET status = 'CLOSE', statusdate = CURRENT TIMESTAMP
 WHERE status = 'WAPPR' AND description LIKE 'MIGR;%';
INSERT INTO wostatus (wonum, status, changedate, memo, siteid, orgid)
  SELECT wonum, 'CLOSE', CURRENT TIMESTAMP, 'closed by SQL request', siteid, orgid
    FROM workorder WHERE status = 'CLOSE' AND description LIKE 'MIGR;%';
COMMIT;
