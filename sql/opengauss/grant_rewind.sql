-- openGauss rewinds with gs_ctl build over the replication channel: no function grants are needed.
SELECT 1
