WARNING:
BUG:
Oops
Call Trace
general protection
possible circular
possible recursive
DEBUG_LOCKS_WARN_ON
KASAN:
UBSAN:
ODEBUG:
suspected memory leak
INFO: 
rcu_sched detected stall
list_add corruption
list_del corruption
