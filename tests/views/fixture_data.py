"""The hand-computed fixture: seven users, a week and a half of January 2026, every edge the
metric tests need. Expected numbers in the tests are worked out by hand from these rows.

Local days below are Asia/Shanghai (UTC+8). In a UTC warehouse the rows marked (*) fall on
another day, which the time-zone tests spell out.

users   u1 douyin/c1 signs up 01-05 10:00 (given in UTC), u2 douyin/c1 01-05 23:59:59 (naive),
        u3 xiaohongshu/c2 01-06 00:00:01 (given in UTC as 01-05 16:00:01Z)(*), u4 organic 01-06
        (+08:00, referred by u1), u5 organic 01-06, never sends an event, u6 douyin/c1 01-08,
        u7 kol (a channel with users but no spend) 01-12, referred by u1
events  u2's D1 event is at 00:00:01 local on 01-06, given in UTC (*); u1 at 23:59:59 local on 01-06
orders  u1 pays 30 (01-05) and 30 (01-06), refunds 30 on 01-08; u3 pays 100 + 50 on 01-07;
        u6 pays 20 on 01-13 without being active that day
spend   douyin/c1 runs 01-05 .. 01-12 but is paused on 01-07; 01-10 and 01-11 are empty days;
        xiaohongshu/c2 spends 01-06, 01-07, 01-13 (data_through = 01-13, the last spend day)
"""

USERS = """user_id,signup_at,channel,campaign_id,referrer_id,region,gender
u1,2026-01-05T02:00:00Z,douyin,c1,,北京,女
u2,2026-01-05 23:59:59,douyin,c1,,上海,男
u3,2026-01-05T16:00:01Z,xiaohongshu,c2,,广东,女
u4,2026-01-06 09:00:00+08:00,organic,,u1,北京,女
u5,2026-01-06 12:00:00,,,,四川,男
u6,2026-01-08 10:00:00,douyin,c1,,浙江,女
u7,2026-01-12 10:00:00,kol,,u1,上海,男
"""

EVENTS = """user_id,event_at,event_name
u1,2026-01-05 10:00:00,app_open
u1,2026-01-06T15:59:59Z,app_open
u1,2026-01-12 09:00:00,app_open
u2,2026-01-05T16:00:01Z,app_open
u3,2026-01-07 12:00:00,core_feature_a
u4,2026-01-06 09:30:00,app_open
u4,2026-01-08 09:00:00,app_open
u6,2026-01-08 10:05:00,app_open
u6,2026-01-09 20:00:00,share
u7,2026-01-12 10:10:00,app_open
"""

ORDERS = """order_id,user_id,paid_at,amount,product
o1,u1,2026-01-05T12:00:00Z,30.00,pro_monthly
o2,u1,2026-01-06 10:00:00,30.00,goods
o3,u1,2026-01-08 11:00:00,-30.00,goods
o4,u3,2026-01-07T15:59:59Z,100.00,goods
o5,u3,2026-01-07 08:00:00,50.00,goods
o6,u6,2026-01-13 10:00:00,20.00,pro_monthly
"""

AD_SPEND = """date,channel,campaign_id,spend,impressions,clicks
2026-01-05,douyin,c1,100,10000,100
2026-01-06,douyin,c1,100,10000,50
2026-01-08,douyin,c1,50,5000,25
2026-01-09,douyin,c1,50,5000,25
2026-01-12,douyin,c1,40,4000,20
2026-01-06,xiaohongshu,c2,80,8000,40
2026-01-07,xiaohongshu,c2,80,8000,40
2026-01-13,xiaohongshu,c2,10,1000,10
"""

CAMPAIGNS = """campaign_id,channel,name,phase,start_date,end_date,budget,owner
c1,douyin,春日探索·抖音,burst,2026-01-05,2026-01-31,5000,张三
c2,xiaohongshu,春日探索·小红书,preheat,2026-01-06,2026-01-31,3000,李四
"""

TABLES = {"campaigns": CAMPAIGNS, "users": USERS, "events": EVENTS, "orders": ORDERS, "ad_spend": AD_SPEND}
